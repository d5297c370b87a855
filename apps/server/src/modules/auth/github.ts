// Sign in with GitHub's endpoints under /api/auth (forward.ts GITHUB_ENDPOINTS): refused while
// it is off, narrowed to what Steward offers, and the callback audited (better-auth answers
// it with a redirect, to the console or to the sign-in page with `?error=`).
import type { ErrorCode, ErrorDetail } from "@steward/contracts";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Services } from "../../services.ts";

type Refusal = [ErrorCode, string, ErrorDetail[]?];
const refuse = (field: string, message: string): Refusal => [
  "VALIDATION_FAILED",
  `${field}: ${message}`,
  [{ field, message }],
];

/**
 * A 404 while sign in with GitHub is off (its provider reads the settings again first, so a
 * change made through another panel process applies at once); GitHub is the one provider,
 * through its authorize page (no ID token), and only a GitHub account is unlinked here, never
 * the password's.
 */
export async function githubRefusal(
  svc: Services,
  endpoint: string,
  method: string,
  body: Record<string, unknown>,
): Promise<Refusal | null> {
  if (!(await svc.githubProvider.prepare()))
    return ["NOT_FOUND", "sign in with GitHub is not enabled"];
  if (method !== "POST") return null;
  const social = endpoint === "sign-in/social" || endpoint === "link-social";
  if (social && body.idToken !== undefined)
    return refuse("idToken", "GitHub signs in through its authorize page");
  if (social && body.provider !== "github") return refuse("provider", 'must be "github"');
  if (endpoint === "unlink-account" && body.providerId !== "github")
    return refuse("providerId", 'must be "github"');
  return null;
}

type UserActor = (userId: string, email: string | null) => Ctx["actor"];

/**
 * The callback's outcome in the audit log: who signed in (or linked), or why GitHub's answer
 * was refused (better-auth's error code: signup_disabled, account_not_linked, user_disabled,
 * two_factor_required, a state error...). Never the code, the state or a token.
 */
export async function auditGithubCallback(
  svc: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  userActor: UserActor,
) {
  const location = new URL(String(reply.getHeader("location") ?? "/"), "http://panel");
  const error = location.searchParams.get("error");
  const set = reply.getHeader("set-cookie");
  const fresh = (Array.isArray(set) ? set : set ? [String(set)] : [])
    .map((line) => line.split(";")[0] ?? "")
    .find((pair) => /session_token=./.test(pair));
  const cookie = fresh ?? request.headers.cookie;
  const session =
    !error && cookie
      ? await svc.auth.api.getSession({ headers: new Headers({ cookie }) }).catch(() => null)
      : null;
  await recordAudit(
    svc.db.db,
    {
      ...request.ctx,
      actor: session ? userActor(session.user.id, session.user.email) : null,
    },
    {
      action: "auth.callback.github",
      outcome: error ? "denied" : "success",
      targetType: "provider",
      targetId: "github",
      diff: error ? { error: error.slice(0, 100) } : null,
    },
  );
}
