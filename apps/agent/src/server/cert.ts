// Certificate rotation, driven by the panel: POST /v1/cert/csr makes a new key and returns a
// request for it (the key stays pending, in memory); POST /v1/cert/install takes the signed
// certificate, checks it is for that key and from the installation's CA, writes both and
// switches the TLS server to them for the next connections.
import { createPrivateKey, X509Certificate } from "node:crypto";
import type { Server } from "node:https";
import { type AgentConfig, filePath } from "../config.ts";
import { atomicWrite } from "../system/files.ts";
import { HttpError } from "./http.ts";
import { secureContextOptions, type TlsMaterial } from "./tls.ts";

export class CertRotation {
  private pending: string | null = null;
  private readonly config: AgentConfig;
  private readonly tls: TlsMaterial;
  constructor(config: AgentConfig, tls: TlsMaterial) {
    this.config = config;
    this.tls = tls;
  }

  async csr(): Promise<{ csr: string }> {
    // @steward/pki (x509 and ASN.1) is loaded only when needed: it weighs on idle memory
    const { createCsr, generateKey } = await import("@steward/pki");
    const key = await generateKey();
    const csr = await createCsr(this.config.nodeId, key);
    this.pending = key.privateKey;
    return { csr };
  }

  async install(server: Server, pem: string) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw new HttpError("VALIDATION_FAILED", "certificate is not a PEM certificate");
    }
    if (this.pending === null)
      throw new HttpError("NO_PENDING_REQUEST", "ask for a request first (POST /v1/cert/csr)");
    if (!cert.checkPrivateKey(createPrivateKey(this.pending)))
      throw new HttpError("KEY_MISMATCH", "certificate is not for the pending request's key");
    const ca = new X509Certificate(this.tls.ca);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey))
      throw new HttpError("NOT_FROM_CA", "certificate was not issued by the installation's CA");
    if (new Date(cert.validTo).getTime() <= Date.now())
      throw new HttpError("EXPIRED", "certificate has already expired");
    const key = this.pending;
    await atomicWrite(filePath(this.config, "key"), key, { mode: 0o600 });
    await atomicWrite(filePath(this.config, "certificate"), pem, { mode: 0o600 });
    server.setSecureContext(secureContextOptions({ key, cert: pem, ca: this.tls.ca }));
    this.tls.key = key;
    this.tls.cert = pem;
    this.tls.certificate = cert;
    this.pending = null;
    return {
      fingerprint: cert.fingerprint256.replaceAll(":", "").toLowerCase(),
      notAfter: new Date(cert.validTo).toISOString(),
    };
  }
}
