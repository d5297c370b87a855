import { setupInput, user } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import type { Services } from "../../services.ts";

export const authRateLimit = { max: 20, timeWindow: "1 minute" };

export function setupRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["setup"],
    [
      route({
        method: "GET",
        url: "/api/v1/setup",
        action: "setup.status",
        config: { auth: "public" },
        reply: z.object({ required: z.boolean() }),
        noErrors: true,
        handle: async () => ({ required: await svc.setup.required() }),
      }),
      route({
        method: "POST",
        url: "/api/v1/setup",
        action: "setup.complete",
        config: { auth: "public", rateLimit: authRateLimit },
        description: "Creates the first super user with the token `steward serve` logged.",
        body: setupInput,
        reply: user,
        status: 201,
        handle: ({ ctx, body }) => svc.setup.complete(ctx, body),
      }),
    ],
  );
}
