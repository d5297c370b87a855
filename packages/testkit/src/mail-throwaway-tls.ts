// The throwaway TLS of startMail(): a CA and a server certificate, written for Postfix and
// Dovecot under the instance's temp dir.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export /** A CA and a server certificate for the host name and 127.0.0.1, written for Postfix. */
async function throwawayTls(dir: string, hostname: string) {
  const { createCa, generateKey, issue } = await import("@steward/pki"); // loaded when used
  const caKey = await generateKey();
  const ca = await createCa("Steward test mail CA", caKey, 2);
  const key = await generateKey();
  const cert = await issue({
    caCertificate: ca,
    caKey: caKey.privateKey,
    commonName: hostname,
    publicKey: key.keys.publicKey,
    hosts: [hostname, "localhost", "127.0.0.1"],
    usage: "server-and-client",
    days: 2,
  });
  const caFile = join(dir, "tls-ca.pem");
  const certFile = join(dir, "tls-cert.pem");
  const keyFile = join(dir, "tls-key.pem");
  writeFileSync(caFile, ca);
  writeFileSync(certFile, `${cert.trim()}\n${ca.trim()}\n`);
  writeFileSync(keyFile, key.privateKey, { mode: 0o600 });
  return { ca, caFile, certFile, keyFile };
}
