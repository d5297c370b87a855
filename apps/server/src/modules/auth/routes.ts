// better-auth's endpoints under /api/auth/*: sign-in, sign-out, TOTP, passkeys, password
// change. Steward adds per-user throttling of failed sign-ins and audits every POST.
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { recordAudit } from "../../audit/log.ts";
import { codeForStatus, sendError } from "../../http/plugins/errors.ts";
import type { Services } from "../../services.ts";
import { authRateLimit } from "../setup/routes.ts";
import { SIGN_IN, signInBlockedFor } from "./throttle.ts";

/** better-auth endpoints Steward serves itself, with its validators, scopes and audit. */
const SERVED_BY_STEWARD = /^\/api\/auth\/api-key(?:[/?]|$)/;

/** "/api/auth/two-factor/verify-totp" -> "auth.two-factor.verify-totp" */
const actionOf = (path: string) =>
  `auth.${path
    .replace(/^\/api\/auth\//, "")
    .split("?")[0]
    ?.replace(/\//g, ".")}`;

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
  return {
    status: res.status,
    text: res.status >= 400 ? stewardError(request, res.status, text) : text,
  };
}

/**
 * better-auth answers errors as {message, code}; Steward's clients expect {error: {...}}.
 * Both are given, so better-auth's own client keeps working.
 */
function stewardError(request: FastifyRequest, status: number, text: string): string {
  let body: { message?: unknown; code?: unknown } = {};
  try {
    body = JSON.parse(text) ?? {};
  } catch {}
  const message =
    typeof body.message === "string" && body.message ? body.message : `request failed (${status})`;
  const code = codeForStatus(status);
  return JSON.stringify({ ...body, message, error: { code, message, requestId: request.id } });
}

/**
 * Per IP: attempts that check a credential (POST) are held to the tight limit; reads (GET:
 * the session, passkey lists, WebAuthn options) have their own, looser budget so using the
 * console does not eat into sign-in attempts.
 */
const authRoutesRateLimit = {
  ...authRateLimit,
  keyGenerator: (request: FastifyRequest) => `${request.ip}|${request.method}`,
  max: (request: FastifyRequest) => (request.method === "GET" ? 300 : authRateLimit.max),
};

export function authRoutes(app: FastifyInstance, svc: Services) {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    config: { action: "auth", auth: "public", rateLimit: authRoutesRateLimit },
    schema: { hide: true },
    async handler(request, reply) {
      const action = actionOf(request.url);
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email =
        typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 254) : null;
      const blockedFor =
        action === SIGN_IN && email ? await signInBlockedFor(svc, email, request.ip) : 0;
      if (blockedFor > 0 && email) {
        await recordAudit(svc.db.db, request.ctx, {
          action: SIGN_IN,
          outcome: "denied",
          targetType: "email",
          targetId: email,
          diff: { reason: "throttled" },
        });
        reply.header("retry-after", String(blockedFor));
        return sendError(
          reply,
          request,
          "RATE_LIMITED",
          `too many failed sign-ins for this user; try again in ${Math.ceil(blockedFor / 60)} minute(s) or ask an administrator`,
        );
      }
      // Who is signed in, read before forwarding (sign-out ends the session).
      const session =
        request.method === "POST" && request.headers.cookie
          ? await svc.auth.api
              .getSession({ headers: fromNodeHeaders(request.headers) })
              .catch(() => null)
          : null;
      const { status, text } = SERVED_BY_STEWARD.test(request.url)
        ? notHere(request, reply)
        : await forward(svc, request, reply);
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

function notHere(request: FastifyRequest, reply: FastifyReply) {
  reply.status(404).type("application/json");
  const message = "API keys are managed at /api/v1/api-keys";
  return {
    status: 404,
    text: JSON.stringify({ error: { code: "NOT_FOUND", message, requestId: request.id } }),
  };
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
