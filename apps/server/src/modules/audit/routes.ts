import { auditEvent, auditListQuery, page } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { errors, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function auditRoutes(app: FastifyInstance, svc: Services) {
  typed(app).get(
    "/api/v1/audit-events",
    {
      config: { action: "audit.list" },
      schema: {
        tags: ["audit"],
        querystring: paged(auditListQuery.shape),
        response: { 200: page(auditEvent), ...errors },
      },
    },
    (req) => svc.audit.list(req.ctx, req.query),
  );
}
