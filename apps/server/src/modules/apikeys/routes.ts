import { apiKey, apiKeyCreate, apiKeyCreated, page, v } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams, paged } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function apiKeysRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["api keys"],
    [
      route({
        method: "GET",
        url: "/api/v1/api-keys",
        action: "apikey.list",
        query: paged({ userId: v.id.optional() }),
        reply: page(apiKey),
        handle: ({ ctx, query }) => svc.apiKeys.list(ctx, query),
      }),
      route({
        method: "POST",
        url: "/api/v1/api-keys",
        action: "apikey.create",
        description: "The key is in the answer, once; only a hash is stored.",
        body: apiKeyCreate,
        reply: apiKeyCreated,
        status: 201,
        handle: ({ ctx, body }) => svc.apiKeys.create(ctx, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/api-keys/:id",
        action: "apikey.revoke",
        params: idParams,
        handle: ({ ctx, params }) => svc.apiKeys.revoke(ctx, params.id),
      }),
    ],
  );
}
