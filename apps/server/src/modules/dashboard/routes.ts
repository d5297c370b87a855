import { dashboard } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { errors, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function dashboardRoutes(app: FastifyInstance, svc: Services) {
  typed(app).get(
    "/api/v1/dashboard",
    {
      config: { action: "dashboard.read" },
      schema: {
        tags: ["dashboard"],
        description:
          "What the caller may see, at a glance: how many accounts, users and groups (super " +
          "users only, else null) and tasks by state; the 10 latest task failures (failed " +
          "tasks, and recurring tasks whose last run failed) and the 10 latest audit events.",
        response: { 200: dashboard, ...errors },
      },
    },
    (req) => svc.dashboard.get(req.ctx),
  );
}
