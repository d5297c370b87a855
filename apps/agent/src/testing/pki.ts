// A test installation's PKI made with @steward/pki: a CA, the panel's client certificate,
// the agent's certificate, and tokens signed like the panel signs them (jose, ES256).
import { randomUUID } from "node:crypto";
import { TOKEN_ISSUER } from "@steward/contracts/agent";
import { createCa, createCsr, generateKey, issue, readCsr } from "@steward/pki";
import { importPKCS8, SignJWT } from "jose";

export interface Identity {
  cert: string;
  key: string;
}

export interface TestPki {
  ca: string;
  caKey: string;
  panel: Identity;
  agent: Identity;
}

export async function makeCa(name = "Steward test CA") {
  const key = await generateKey();
  return { ca: await createCa(name, key), caKey: key.privateKey };
}

/** A certificate for a new key, signed by the given CA. */
export async function issueIdentity(
  ca: { ca: string; caKey: string },
  commonName: string,
  usage: "client" | "server-and-client",
  hosts?: string[],
): Promise<Identity> {
  const key = await generateKey();
  const { publicKey } = await readCsr(await createCsr(commonName, key));
  const cert = await issue({
    caCertificate: ca.ca,
    caKey: ca.caKey,
    commonName,
    publicKey,
    usage,
    ...(hosts ? { hosts } : {}),
  });
  return { cert, key: key.privateKey };
}

export async function makeTestPki(nodeId: string): Promise<TestPki> {
  const ca = await makeCa();
  return {
    ...ca,
    panel: await issueIdentity(ca, "steward-panel", "client"),
    agent: await issueIdentity(ca, nodeId, "server-and-client", ["127.0.0.1", "localhost"]),
  };
}

export interface TokenClaims {
  aud: string;
  sub: string;
  /** seconds from now; default 60 (negative: already expired) */
  expiresIn?: number;
  jti?: string;
  iss?: string;
}

/** A request token as the panel mints it, signed with the given (panel) key. */
export async function mintToken(keyPem: string, c: TokenClaims): Promise<string> {
  const key = await importPKCS8(keyPem, "ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256" })
    .setIssuer(c.iss ?? TOKEN_ISSUER)
    .setAudience(c.aud)
    .setSubject(c.sub)
    .setJti(c.jti ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (c.expiresIn ?? 60))
    .sign(key);
}
