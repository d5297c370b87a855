// Every mutating request leaves an audit event. Services record successes inside the
// transaction that makes the change; this hook records refusals and failures, and any
// success a service did not record itself. It runs before the answer is sent (onSend), so a
// client that has its answer finds the event in the log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { recordAudit } from "../../audit/log.ts";
import type { Services } from "../../services.ts";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function registerAuditHook(app: FastifyInstance, svc: Services) {
  app.addHook("onSend", async (request, reply, payload) => {
    await record(request, reply);
    return payload;
  });

  async function record(request: FastifyRequest, reply: FastifyReply) {
    if (!MUTATING.has(request.method) || request.url.startsWith("/api/auth/")) return;
    const ctx = request.ctx;
    const action = request.routeOptions.config.action;
    if (!ctx || !action) return;
    const status = reply.statusCode;
    // Plain bad input (400, 404, 409, 413...) changes nothing and is not an event;
    // refusals of a known caller and server failures are.
    const outcome =
      status === 403 ? "denied" : status >= 500 ? "failure" : status < 400 ? "success" : null;
    if (outcome === null || (outcome === "success" && ctx.audited)) return;
    const params = request.params as { id?: string } | undefined;
    try {
      await recordAudit(svc.db.db, ctx, {
        action,
        outcome,
        targetId: params?.id ?? null,
        diff: outcome === "success" ? null : { status },
      });
    } catch (err) {
      request.log.error({ err }, "could not write the audit event");
    }
  }
}
