import {
  me,
  page,
  passwordSet,
  user,
  userCreate,
  userListQuery,
  userUpdate,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function usersRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["users"];
  r.get(
    "/api/v1/me",
    { config: { action: "me.read" }, schema: { tags, response: { 200: me, ...errors } } },
    (req) => svc.users.me(req.ctx),
  );
  r.get(
    "/api/v1/users",
    {
      config: { action: "user.list" },
      schema: {
        tags,
        querystring: paged(userListQuery.shape),
        response: { 200: page(user), ...errors },
      },
    },
    (req) => svc.users.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/users",
    {
      config: { action: "user.create" },
      schema: { tags, body: userCreate, response: { 201: user, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await svc.users.create(req.ctx, req.body)),
  );
  r.get(
    "/api/v1/users/:id",
    {
      config: { action: "user.read" },
      schema: { tags, params: idParams, response: { 200: user, ...errors } },
    },
    (req) => svc.users.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/users/:id",
    {
      config: { action: "user.update" },
      schema: { tags, params: idParams, body: userUpdate, response: { 200: user, ...errors } },
    },
    (req) => svc.users.update(req.ctx, req.params.id, req.body),
  );
  r.post(
    "/api/v1/users/:id/password",
    {
      config: { action: "user.password_set" },
      schema: { tags, params: idParams, body: passwordSet, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.users.setPassword(req.ctx, req.params.id, req.body.password);
      return reply.status(204).send(null);
    },
  );
  r.post(
    "/api/v1/users/:id/reset-2fa",
    {
      config: { action: "user.reset_2fa" },
      schema: {
        tags,
        params: idParams,
        body: z.strictObject({ passkeys: z.boolean().default(false) }).default({ passkeys: false }),
        response: { 200: user, ...errors },
      },
    },
    (req) => svc.users.resetSecondFactor(req.ctx, req.params.id, req.body),
  );
}
