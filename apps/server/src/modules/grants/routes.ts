import { grant, grantInput, grantListQuery, page } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function grantsRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["grants"];
  r.get(
    "/api/v1/grants",
    {
      config: { action: "grant.list" },
      schema: {
        tags,
        querystring: paged(grantListQuery.shape),
        response: { 200: page(grant), ...errors },
      },
    },
    (req) => svc.grants.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/grants",
    {
      config: { action: "grant.set" },
      schema: { tags, body: grantInput, response: { 200: grant, ...errors } },
    },
    (req) => svc.grants.set(req.ctx, req.body),
  );
  r.delete(
    "/api/v1/grants/:id",
    {
      config: { action: "grant.remove" },
      schema: { tags, params: idParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.grants.remove(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
