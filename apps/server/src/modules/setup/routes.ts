import { setupInput, user } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export const authRateLimit = { max: 20, timeWindow: "1 minute" };

export function setupRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["setup"];
  r.get(
    "/api/v1/setup",
    {
      config: { action: "setup.status", auth: "public" },
      schema: { tags, response: { 200: z.object({ required: z.boolean() }) } },
    },
    async () => ({ required: await svc.setup.required() }),
  );
  r.post(
    "/api/v1/setup",
    {
      config: { action: "setup.complete", auth: "public", rateLimit: authRateLimit },
      schema: {
        tags,
        description: "Creates the first super user with the token `steward serve` logged.",
        body: setupInput,
        response: { 201: user, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.setup.complete(req.ctx, req.body)),
  );
}
