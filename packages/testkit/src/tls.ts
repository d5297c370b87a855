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

/** A certificate of `ca` for 127.0.0.1 and localhost (or `hosts`), its key (PEM) and serial (hex). */
export async function localCertificate(
  ca: TestCa,
  commonName: string,
  hosts: string[] = ["127.0.0.1", "localhost"],
) {
  const key = await generateKey();
  const cert = await issue({
    caCertificate: ca.certificate,
    caKey: ca.key.privateKey,
    commonName,
    publicKey: key.keys.publicKey,
    hosts,
    usage: "server-and-client",
  });
  const serial = new X509Certificate(cert).serialNumber.toUpperCase();
  return { cert, key: key.privateKey, serial };
}

export interface TestChain {
  root: string;
  intermediate: string;
  leaf: string;
  /** the leaf's key (PKCS#8 PEM) */
  key: string;
  /** the leaf's serial (upper-case hex) */
  serial: string;
}

/**
 * A leaf for `hosts` signed by an intermediate CA signed by a root, as a commercial CA sells
 * them (uploaded-certificate tests); `notBefore`/`notAfter` make it expired or not yet valid.
 */
export async function testChain(o: {
  hosts: string[];
  notBefore?: Date;
  notAfter?: Date;
}): Promise<TestChain> {
  const rootKey = await generateKey();
  const root = {
    certificate: await createCa("steward test root ca", rootKey, 3650, 1),
    key: rootKey,
  };
  const middle = await generateKey();
  const intermediate = await issue({
    caCertificate: root.certificate,
    caKey: root.key.privateKey,
    commonName: "steward test intermediate ca",
    publicKey: middle.keys.publicKey,
    usage: "ca",
    days: 3650,
  });
  const key = await generateKey();
  const leaf = await issue({
    caCertificate: intermediate,
    caKey: middle.privateKey,
    commonName: o.hosts[0] ?? "leaf",
    publicKey: key.keys.publicKey,
    hosts: o.hosts,
    usage: "server-and-client",
    ...(o.notBefore ? { notBefore: o.notBefore } : {}),
    ...(o.notAfter ? { notAfter: o.notAfter } : {}),
  });
  const serial = new X509Certificate(leaf).serialNumber.toUpperCase();
  return { root: root.certificate, intermediate, leaf, key: key.privateKey, serial };
}
