// Who may talk to the agent. TLS already refused any client without a certificate from the
// installation's CA; here the client must be the panel itself (its key, recorded at
// enrollment: the panel renews its certificate with the same key, so the key is pinned, not
// the certificate) and every request carries a short-lived token the panel signed with that
// key, for this node and this action, used once.
import { createHash, type X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { TOKEN_ISSUER, TOKEN_MAX_SECONDS } from "@steward/contracts/agent";
import { type CryptoKey, errors, importX509, jwtVerify } from "jose";
import { HttpError } from "./http.ts";

/** Seconds of clock difference tolerated between panel and agent. */
const SKEW = 30;

export interface PanelIdentity {
  /** SHA-256 of the panel's public key (SubjectPublicKeyInfo DER), hex */
  keyPin: string;
  key: CryptoKey;
}

const pinOf = (cert: X509Certificate) =>
  createHash("sha256")
    .update(cert.publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");

export async function panelIdentity(pem: string, cert: X509Certificate): Promise<PanelIdentity> {
  return { keyPin: pinOf(cert), key: await importX509(pem, "ES256") };
}

/** The client certificate must be the panel's (the CA issues node certificates too). */
export function checkPeer(socket: TLSSocket, panel: PanelIdentity) {
  const peer = socket.getPeerX509Certificate();
  if (!peer) throw new HttpError("NO_CLIENT_CERTIFICATE", "a client certificate is required");
  if (pinOf(peer) !== panel.keyPin)
    throw new HttpError("NOT_THE_PANEL", "this client certificate is not the panel's");
}

export class TokenVerifier {
  /** jti -> exp (seconds): each token is accepted once, remembered until it expires */
  private seen = new Map<string, number>();
  private readonly panel: PanelIdentity;
  private readonly nodeId: string;
  constructor(panel: PanelIdentity, nodeId: string) {
    this.panel = panel;
    this.nodeId = nodeId;
  }

  async verify(authorization: string | undefined, subject: string): Promise<void> {
    const m = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization ?? "");
    if (!m?.[1]) throw new HttpError("TOKEN_MISSING", "Authorization: Bearer <token> is required");
    let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
    try {
      ({ payload } = await jwtVerify(m[1], this.panel.key, {
        issuer: TOKEN_ISSUER,
        algorithms: ["ES256"],
        requiredClaims: ["exp", "jti", "aud", "sub"],
        clockTolerance: SKEW,
      }));
    } catch (e) {
      if (e instanceof errors.JWTExpired)
        throw new HttpError("TOKEN_EXPIRED", "the token has expired");
      throw new HttpError("TOKEN_INVALID", "the token is not valid");
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp as number;
    if (exp > now + TOKEN_MAX_SECONDS + SKEW)
      throw new HttpError("TOKEN_TOO_LONG", `a token may live ${TOKEN_MAX_SECONDS} s at most`);
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(this.nodeId))
      throw new HttpError("WRONG_AUDIENCE", "the token is for another node");
    if (payload.sub !== subject)
      throw new HttpError("WRONG_SUBJECT", `the token does not allow ${subject}`);
    const jti = payload.jti as string;
    this.prune(now);
    if (this.seen.has(jti)) throw new HttpError("TOKEN_REPLAYED", "the token was already used");
    this.seen.set(jti, exp + SKEW);
  }

  private prune(now: number) {
    for (const [jti, until] of this.seen) if (until < now) this.seen.delete(jti);
  }
}
