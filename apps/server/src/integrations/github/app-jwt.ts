// A GitHub App's JSON Web Token (docs.github.com, "Generating a JSON Web Token (JWT) for a
// GitHub App"): RS256 over the header and claims, signed with the App's private key by
// node:crypto (no JWT library: the format is three base64url parts). `iat` is 60 seconds in
// the past (clock drift), `exp` 9 minutes ahead (GitHub refuses more than 10), `iss` the App's id.
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from "node:crypto";

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The JWT GitHub accepts as the App for `GET /app` and its installations. */
export function appJwt(appId: number, key: KeyObject, now = Date.now()): string {
  const seconds = Math.floor(now / 1000);
  const unsigned = `${part({ alg: "RS256", typ: "JWT" })}.${part({
    iat: seconds - 60,
    exp: seconds + 9 * 60,
    iss: String(appId),
  })}`;
  return `${unsigned}.${sign("sha256", Buffer.from(unsigned), key).toString("base64url")}`;
}

/**
 * The App's private key read from its PEM (PKCS#1 as GitHub hands it out, or PKCS#8), or
 * why not: it must be an RSA key of at least 2048 bits.
 */
export function readAppKey(pem: string): { key: KeyObject; fingerprint: string } | string {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch {
    return "is not a readable private key (PEM)";
  }
  if (key.asymmetricKeyType !== "rsa") return "must be an RSA key (GitHub Apps sign with RS256)";
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return "must be at least 2048 bits";
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  return { key, fingerprint: `SHA256:${createHash("sha256").update(der).digest("base64")}` };
}
