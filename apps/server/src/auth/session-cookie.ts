// The session token of a request's cookie, checked as better-auth checks it (better-call's
// signed cookies: `<token>.<base64 HMAC-SHA256 of the token under better-auth's secret>`,
// URI-encoded, under better-auth's cookie name), without going through better-auth's
// getSession endpoint on every request. better-auth still signs the cookie in and out.
import { createHmac, timingSafeEqual } from "node:crypto";
import { parseCookies } from "better-call";
import type { Auth } from "./better-auth.ts";

/** better-call's check: a 44-character base64 signature (32 bytes) after the last dot. */
function verified(value: string, secret: string): string | null {
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = value.slice(dot + 1);
  if (signature.length !== 44 || !signature.endsWith("=")) return null;
  const given = Buffer.from(signature, "base64");
  const expected = createHmac("sha256", secret).update(token).digest();
  return given.length === expected.length && timingSafeEqual(given, expected) ? token : null;
}

/** Reads session tokens from Cookie headers with better-auth's cookie name and secret. */
export function createSessionCookieReader(auth: Auth) {
  let context: Promise<{ name: string; secret: string }> | undefined;
  const settings = () => {
    context ??= auth.$context.then((c) => ({
      name: c.authCookies.sessionToken.name,
      secret: c.secret,
    }));
    return context;
  };
  /** the token of a validly signed session cookie, else null */
  return async function sessionTokenOf(cookieHeader: string): Promise<string | null> {
    const { name, secret } = await settings();
    const value = parseCookies(cookieHeader).get(name);
    return value ? verified(value, secret) : null;
  };
}
