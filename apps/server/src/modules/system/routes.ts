import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { z } from "zod";
import { pendingMigrations } from "../../db/migrate.ts";
import { schedulerCheck } from "../../engine/health.ts";
import type { Metrics } from "../../http/plugins/metrics.ts";
import { typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const check = z.object({ ok: z.boolean(), detail: z.string().optional() });

export function systemRoutes(app: FastifyInstance, svc: Services, metrics: Metrics) {
  const r = typed(app);
  const tags = ["system"];
  const pub = { auth: "public" as const, rateLimit: false as const };
  r.get(
    "/healthz",
    {
      config: { ...pub, action: "system.health" },
      schema: { tags, response: { 200: z.object({ status: z.literal("ok") }) } },
    },
    async () => ({
      status: "ok" as const,
    }),
  );
  r.get(
    "/readyz",
    {
      config: { ...pub, action: "system.ready" },
      schema: {
        tags,
        response: {
          200: z.object({ status: z.string(), checks: z.record(z.string(), check) }),
          503: z.object({ status: z.string(), checks: z.record(z.string(), check) }),
        },
      },
    },
    async (_req, reply) => {
      const checks: Record<string, z.infer<typeof check>> = {};
      try {
        await sql`select 1`.execute(svc.db.db);
        checks.database = { ok: true };
        const pending = await pendingMigrations(svc.db);
        checks.migrations = pending.length
          ? { ok: false, detail: `pending: ${pending.join(", ")}` }
          : { ok: true };
      } catch (e) {
        checks.database = { ok: false, detail: (e as Error).message };
      }
      checks.scheduler = schedulerCheck(svc.engine.health());
      const ok = Object.values(checks).every((c) => c.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ready" : "not ready", checks });
    },
  );
  app.get(
    "/metrics",
    { config: { ...pub, action: "system.metrics" }, schema: { tags, hide: true } },
    async (_req, reply) => {
      reply.header("content-type", metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
  app.get(
    "/api/openapi.json",
    { config: { ...pub, action: "system.openapi" }, schema: { hide: true } },
    async () => app.swagger(),
  );
}
