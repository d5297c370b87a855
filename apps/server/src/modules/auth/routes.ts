// better-auth's endpoints under /api/auth/*: sign-in, sign-out, TOTP, passkeys, password
// change. Steward forwards only those it uses (forward.ts), throttles failed sign-ins per
// user (throttle.ts) and audits every POST.
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { recordAudit, settleAudit } from "../../audit/log.ts";
import { sendError } from "../../http/plugins/errors.ts";
import type { Services } from "../../services.ts";
import { authRateLimit } from "../setup/routes.ts";
import { endpointOf, forward, GITHUB_ENDPOINTS, isForwarded, notHere } from "./forward.ts";
import { auditGithubCallback, githubRefusal } from "./github.ts";
import { reserveSignIn, SIGN_IN } from "./throttle.ts";

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

const outcomeOf = (action: string, status: number) =>
  status < 400
    ? "success"
    : (status === 401 || status === 403) && action !== SIGN_IN
      ? "denied"
      : "failure";

export function authRoutes(app: FastifyInstance, svc: Services) {
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    config: { action: "auth", auth: "public", rateLimit: authRoutesRateLimit },
    schema: { hide: true },
    async handler(request, reply) {
      const endpoint = endpointOf(request.url);
      const action = `auth.${endpoint.replace(/\//g, ".")}`;
      const body = (request.body ?? {}) as Record<string, unknown>;
      const email =
        typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 254) : null;
      const reservation =
        action === SIGN_IN && email && request.method === "POST"
          ? await reserveSignIn(svc, request.ctx, email)
          : null;
      if (reservation && reservation.blockedFor > 0) {
        reply.header("retry-after", String(reservation.blockedFor));
        return sendError(
          reply,
          request,
          "RATE_LIMITED",
          `too many failed sign-ins for this user; try again in ${Math.ceil(reservation.blockedFor / 60)} minute(s) or ask an administrator`,
        );
      }
      if (GITHUB_ENDPOINTS.includes(endpoint)) {
        const refused = await githubRefusal(svc, endpoint, request.method, body);
        if (refused) return sendError(reply, request, ...refused);
      }
      // Who is signed in, read before forwarding (sign-out ends the session).
      const session =
        request.method === "POST" && request.headers.cookie
          ? await svc.auth.api
              .getSession({ headers: fromNodeHeaders(request.headers) })
              .catch(() => null)
          : null;
      const { status, text } = isForwarded(endpoint)
        ? await forward(svc, request, reply)
        : notHere(request, reply);
      if (endpoint === "callback/github") await auditGithubCallback(svc, request, reply, userActor);
      if (request.method === "POST") {
        let userId: string | null = null;
        try {
          userId = (JSON.parse(text) as { user?: { id?: string } })?.user?.id ?? null;
        } catch {}
        const knownId = session?.user.id ?? userId;
        const actor = knownId ? userActor(knownId, session?.user.email ?? email) : null;
        const outcome = outcomeOf(action, status);
        const diff = status < 400 ? null : { status };
        if (reservation)
          await settleAudit(svc.db.db, reservation.eventId, { actor }, { outcome, diff });
        else
          await recordAudit(
            svc.db.db,
            { ...request.ctx, actor },
            {
              action,
              outcome,
              targetType: email ? "email" : null,
              targetId: email,
              diff,
            },
          );
      }
      return reply.send(text);
    },
  });
}

export function userActor(userId: string, email: string | null) {
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
