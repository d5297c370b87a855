// Request tokens (docs/design.md, "Agent protocol"): every request to an agent carries a JWT signed
// with the panel's key, for one node (aud) and one purpose (sub), used once (jti), short-lived.
import { randomUUID } from "node:crypto";
import { TOKEN_ISSUER } from "@steward/contracts/agent";
import { SignJWT } from "jose";

/** Lifetime of a request token: long enough for clock skew, short enough to be useless later. */
export const TOKEN_SECONDS = 120;

export function mintToken(key: CryptoKey, nodeId: string, sub: string, now: number) {
  const iat = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(nodeId)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + TOKEN_SECONDS)
    .sign(key);
}
