// The GitHub fake's check of a GitHub App's JWT, as GitHub documents it ("Generating a JSON
// Web Token (JWT) for a GitHub App"): three base64url parts, header `alg` RS256, the signature
// verified with the App's public key, `iss` the App's id (or client id), `iat` in the past (60 s
// of drift allowed), `exp` in the future and at most 10 minutes after now. A refusal is GitHub's
// 401 message.
import { createPublicKey, type KeyObject, verify } from "node:crypto";

const decode = (part: string): Record<string, unknown> | null => {
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
};

export interface JwtCheck {
  /** why GitHub would refuse it, or null */
  refusal: string | null;
  claims?: { iat: number; exp: number; iss: string };
}

export function checkAppJwt(
  jwt: string,
  publicKey: string | KeyObject,
  appIds: readonly string[],
  nowMs = Date.now(),
): JwtCheck {
  const undecodable = { refusal: "A JSON web token could not be decoded" };
  const parts = jwt.split(".");
  if (parts.length !== 3) return undecodable;
  const [head, body, signature] = parts as [string, string, string];
  const header = decode(head);
  const claims = decode(body);
  if (!header || !claims || header.alg !== "RS256") return undecodable;
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  const signed = verify(
    "sha256",
    Buffer.from(`${head}.${body}`),
    key,
    Buffer.from(signature, "base64url"),
  );
  if (!signed) return undecodable;
  const now = Math.floor(nowMs / 1000);
  const { iat, exp, iss } = claims as { iat: unknown; exp: unknown; iss: unknown };
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + 60)
    return {
      refusal: "'Issued at' claim ('iat') must be an Integer representing a time in the past.",
    };
  if (typeof exp !== "number" || !Number.isInteger(exp) || exp <= now || exp - now > 600)
    return {
      refusal:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  if (exp - iat > 660)
    return { refusal: "'Expiration time' claim ('exp') is too far in the future" };
  if ((typeof iss !== "string" && typeof iss !== "number") || !appIds.includes(String(iss)))
    return { refusal: "'Issuer' claim ('iss') must be an Integer" };
  return { refusal: null, claims: { iat, exp, iss: String(iss) } };
}
