import { me, passwordSet, user, userCreate, userListQuery, userUpdate } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { crudRoutes, declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function usersRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["users"],
    [
      route({
        method: "GET",
        url: "/api/v1/me",
        action: "me.read",
        reply: me,
        handle: ({ ctx }) => svc.users.me(ctx),
      }),
      ...crudRoutes({
        base: "/api/v1/users",
        noun: "user",
        item: user,
        listQuery: userListQuery.shape,
        create: userCreate,
        update: userUpdate,
        service: svc.users,
      }),
      route({
        method: "POST",
        url: "/api/v1/users/:id/password",
        action: "user.password_set",
        params: idParams,
        body: passwordSet,
        handle: ({ ctx, params, body }) => svc.users.setPassword(ctx, params.id, body.password),
      }),
      route({
        method: "POST",
        url: "/api/v1/users/:id/reset-2fa",
        action: "user.reset_2fa",
        params: idParams,
        body: z.strictObject({ passkeys: z.boolean().default(false) }).default({ passkeys: false }),
        reply: user,
        handle: ({ ctx, params, body }) => svc.users.resetSecondFactor(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/users/:id/github",
        action: "user.unlink_github",
        description:
          "Unlinks the user's GitHub account: GitHub no longer signs them in (their sessions stay). 200 with the user, linked or not before.",
        params: idParams,
        reply: user,
        handle: ({ ctx, params }) => svc.users.unlinkGithub(ctx, params.id),
      }),
    ],
  );
}
