// better-auth's endpoints under /api/auth/*: sign-in, sign-out, TOTP, passkeys, password
// change. Steward adds per-user throttling of failed sign-ins and audits every POST.
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { recordAudit } from "../../audit/log.ts";
import { sendError } from "../../http/plugins/errors.ts";
import type { Services } from "../../services.ts";
import { authRateLimit } from "../setup/routes.ts";

export const THROTTLE = { failures: 5, windowMs: 15 * 60_000 };
const SIGN_IN = "auth.sign-in.email";

/** "/api/auth/two-factor/verify-totp" -> "auth.two-factor.verify-totp" */
const actionOf = (path: string) =>
  `auth.${path
    .replace(/^\/api\/auth\//, "")
    .split("?")[0]
    ?.replace(/\//g, ".")}`;

async function recentFailures(svc: Services, email: string): Promise<number> {
  const rows = await svc.db.db
    .selectFrom("audit_events")
    .select(["id"])
    .where("action", "=", SIGN_IN)
    .where("target_id", "=", email)
    .where("outcome", "=", "failure")
    .where("at", ">", Date.now() - THROTTLE.windowMs)
    .limit(THROTTLE.failures)
    .execute();
  return rows.length;
}

async function forward(svc: Services, request: FastifyRequest, reply: FastifyReply) {
  const url = new URL(request.url, `http://${request.headers.host ?? "localhost"}`);
  const headers = new Headers();
  for (const [k, v] of Object.entries(request.headers)) {
    if (typeof v === "string") headers.set(k, v);
    else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
  }
  headers.set("x-forwarded-for", request.ip);
  const hasBody =
    request.method !== "GET" && request.method !== "HEAD" && request.body !== undefined;
  const res = await svc.auth.handler(
    new Request(url, {
      method: request.method,
      headers,
      body: hasBody ? JSON.stringify(request.body) : undefined,
    }),
  );
  reply.status(res.status);
  res.headers.forEach((value, key) => {
    if (key !== "set-cookie") reply.header(key, value);
  });
  const cookies = res.headers.getSetCookie();
  if (cookies.length) reply.header("set-cookie", cookies);
  const text = await res.text();
  return { status: res.status, text };
}

export function authRoutes(app: FastifyInstance, svc: Services) {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    config: { action: "auth", auth: "public", rateLimit: authRateLimit },
    schema: { hide: true },
    async handler(request, reply) {
      const action = actionOf(request.url);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email =
        typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 254) : null;
      if (action === SIGN_IN && email && (await recentFailures(svc, email)) >= THROTTLE.failures) {
        await recordAudit(svc.db.db, request.ctx, {
          action: SIGN_IN,
          outcome: "denied",
          targetType: "email",
          targetId: email,
          diff: { reason: "throttled" },
        });
        reply.header("retry-after", String(THROTTLE.windowMs / 1000));
        return sendError(
          reply,
          request,
          "RATE_LIMITED",
          "too many failed sign-ins for this user; wait 15 minutes or ask an administrator",
        );
      }
      // Who is signed in, read before forwarding (sign-out ends the session).
      const session =
        request.method === "POST" && request.headers.cookie
          ? await svc.auth.api
              .getSession({ headers: fromNodeHeaders(request.headers) })
              .catch(() => null)
          : null;
      const { status, text } = await forward(svc, request, reply);
      if (request.method === "POST") {
        let userId: string | null = null;
        try {
          userId = (JSON.parse(text) as { user?: { id?: string } })?.user?.id ?? null;
        } catch {}
        const knownId = session?.user.id ?? userId;
        const actor = knownId ? userActor(knownId, session?.user.email ?? email) : null;
        await recordAudit(
          svc.db.db,
          { ...request.ctx, actor },
          {
            action,
            outcome:
              status < 400
                ? "success"
                : status === 401 || status === 403
                  ? action === SIGN_IN
                    ? "failure"
                    : "denied"
                  : "failure",
            targetType: email ? "email" : null,
            targetId: email,
            diff: status < 400 ? null : { status },
          },
        );
      }
      return reply.send(text);
    },
  });
}

function userActor(userId: string, email: string | null) {
  return {
    type: "user" as const,
    userId,
    email: email ?? "",
    name: "",
    keyId: null,
    scopes: null,
    groupIds: [],
    isSuper: false,
    sessionId: null,
  };
}
