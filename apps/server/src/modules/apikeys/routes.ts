import { apiKey, apiKeyCreate, apiKeyCreated, page, v } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function apiKeysRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["api keys"];
  r.get(
    "/api/v1/api-keys",
    {
      config: { action: "apikey.list" },
      schema: {
        tags,
        querystring: paged({ userId: v.id.optional() }),
        response: { 200: page(apiKey), ...errors },
      },
    },
    (req) => svc.apiKeys.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/api-keys",
    {
      config: { action: "apikey.create" },
      schema: {
        tags,
        description: "The key is in the answer, once; only a hash is stored.",
        body: apiKeyCreate,
        response: { 201: apiKeyCreated, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.apiKeys.create(req.ctx, req.body)),
  );
  r.delete(
    "/api/v1/api-keys/:id",
    {
      config: { action: "apikey.revoke" },
      schema: { tags, params: idParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.apiKeys.revoke(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
