// Throwaway TLS for test servers on this machine: a CA, and certificates it signs for
// 127.0.0.1 and localhost (pebble's HTTPS, the panel's own HTTPS in tests).
import { X509Certificate } from "node:crypto";
import { createCa, generateKey, issue, type KeyPem } from "@steward/pki";

export interface TestCa {
  certificate: string;
  key: KeyPem;
}

export async function testCa(name: string): Promise<TestCa> {
  const key = await generateKey();
  return { certificate: await createCa(name, key), key };
}

/** A certificate of `ca` for 127.0.0.1 and localhost, its key (PEM) and serial (hex). */
export async function localCertificate(ca: TestCa, commonName: string) {
  const key = await generateKey();
  const cert = await issue({
    caCertificate: ca.certificate,
    caKey: ca.key.privateKey,
    commonName,
    publicKey: key.keys.publicKey,
    hosts: ["127.0.0.1", "localhost"],
    usage: "server-and-client",
  });
  const serial = new X509Certificate(cert).serialNumber.toUpperCase();
  return { cert, key: key.privateKey, serial };
}
