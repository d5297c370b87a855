import { grant, grantInput, grantListQuery, page } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function grantsRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["grants"],
    [
      route({
        method: "GET",
        url: "/api/v1/grants",
        action: "grant.list",
        query: paged(grantListQuery.shape),
        reply: page(grant),
        handle: ({ ctx, query }) => svc.grants.list(ctx, query),
      }),
      route({
        method: "POST",
        url: "/api/v1/grants",
        action: "grant.set",
        body: grantInput,
        reply: grant,
        handle: ({ ctx, body }) => svc.grants.set(ctx, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/grants/:id",
        action: "grant.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.grants.remove(ctx, params.id),
      }),
    ],
  );
}
