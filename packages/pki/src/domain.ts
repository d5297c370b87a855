// A web server's key and its certificate request for ACME: ECDSA P-256 (the default) or RSA
// 2048, the names as subjectAltName (the first also as the common name). Made on the node.
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

export type DomainKeyType = "ecdsa-p256" | "rsa-2048";

const ALGS = {
  "ecdsa-p256": { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" },
  "rsa-2048": {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
} as const;

export interface DomainRequest {
  /** PKCS#8 PEM of the new private key */
  privateKey: string;
  /** PKCS#10 PEM */
  csr: string;
}

/** A new key and a CSR for these DNS names (validated by the caller). */
export async function createDomainRequest(
  names: string[],
  type: DomainKeyType,
): Promise<DomainRequest> {
  const alg = ALGS[type];
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  if (names.length === 0 || names.some((n) => !/^(\*\.)?[a-z0-9.-]{1,253}$/.test(n)))
    throw new Error("certificate names must be ASCII DNS names");
  // a common name holds 64 characters at most; CAs take the names from subjectAltName
  const common = names.find((n) => n.length <= 64);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    ...(common ? { name: `CN=${common}` } : {}),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => ({ type: "dns" as const, value: n })),
      ),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { privateKey: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"), csr: csr.toString("pem") };
}
