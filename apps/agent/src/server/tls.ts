// The agent's TLS material: its key and certificate, the installation's CA and the panel's
// certificate, read from the files named in agent.json.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { type AgentConfig, ConfigError, filePath } from "../config.ts";

export interface TlsMaterial {
  key: string;
  cert: string;
  ca: string;
  panel: string;
  /** the agent's own certificate, parsed */
  certificate: X509Certificate;
  panelCertificate: X509Certificate;
}

export function loadTls(config: AgentConfig): TlsMaterial {
  const read = (name: "key" | "certificate" | "ca" | "panelCertificate") => {
    const path = filePath(config, name);
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      throw new ConfigError(`cannot read ${path} (files.${name}): ${(e as Error).message}`);
    }
  };
  const parse = (pem: string, what: string) => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw new ConfigError(`${what} is not a PEM certificate`);
    }
  };
  const key = read("key");
  const cert = read("certificate");
  const ca = read("ca");
  const panel = read("panelCertificate");
  const certificate = parse(cert, filePath(config, "certificate"));
  const panelCertificate = parse(panel, filePath(config, "panelCertificate"));
  const caCert = parse(ca, filePath(config, "ca"));
  if (!panelCertificate.checkIssued(caCert) || !panelCertificate.verify(caCert.publicKey))
    throw new ConfigError("the panel's certificate was not issued by the CA in files.ca");
  return { key, cert, ca, panel, certificate, panelCertificate };
}

/** What setSecureContext / createServer take. */
export const secureContextOptions = (m: Pick<TlsMaterial, "key" | "cert" | "ca">) => ({
  key: m.key,
  cert: m.cert,
  ca: [m.ca],
  minVersion: "TLSv1.2" as const,
});

export const secondsLeft = (c: X509Certificate) =>
  Math.floor((new Date(c.validTo).getTime() - Date.now()) / 1000);
