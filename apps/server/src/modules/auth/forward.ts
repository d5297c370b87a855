// Forwarding to better-auth's handler. Only the endpoints the console and the CLI use are
// forwarded (an allow-list of exact paths; paths are canonical by then, see
// http/plugins/canonical-path.ts); every other better-auth endpoint (API keys, sessions
// lists, sign-up...) is not reachable over HTTP at all; GitHub's (sign-in, its callback,
// linking) only while sign in with GitHub is enabled.
import type { FastifyReply, FastifyRequest } from "fastify";
import { codeForStatus } from "../../http/plugins/errors.ts";
import type { Services } from "../../services.ts";

/** Sign in with GitHub's: forwarded only while it is enabled (routes.ts asks first). */
export const GITHUB_ENDPOINTS = [
  "sign-in/social",
  "callback/github",
  "link-social",
  "unlink-account",
  "list-accounts",
];

const FORWARDED = new Set([
  "sign-in/email",
  "sign-out",
  "get-session",
  "update-user",
  "change-password",
  "two-factor/enable",
  "two-factor/disable",
  "two-factor/verify-totp",
  "two-factor/verify-backup-code",
  "two-factor/generate-backup-codes",
  "passkey/list-user-passkeys",
  "passkey/delete-passkey",
  "passkey/generate-register-options",
  "passkey/verify-registration",
  "passkey/generate-authenticate-options",
  "passkey/verify-authentication",
  ...GITHUB_ENDPOINTS,
]);

/** "/api/auth/two-factor/verify-totp?x" -> "two-factor/verify-totp" */
export const endpointOf = (url: string) => (url.split("?")[0] ?? "").replace(/^\/api\/auth\//, "");

export const isForwarded = (endpoint: string) => FORWARDED.has(endpoint);

export async function forward(svc: Services, request: FastifyRequest, reply: FastifyReply) {
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

/** What an endpoint that is not forwarded answers. */
export function notHere(request: FastifyRequest, reply: FastifyReply) {
  reply.status(404).type("application/json");
  const message = request.url.startsWith("/api/auth/api-key")
    ? "API keys are managed at /api/v1/api-keys"
    : "no such endpoint";
  return {
    status: 404,
    text: JSON.stringify({ error: { code: "NOT_FOUND", message, requestId: request.id } }),
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
