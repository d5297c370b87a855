// The checks of an uploaded certificate before anything reaches a node (node:crypto only):
// every PEM block parses, the chain goes from the leaf up with each certificate signed by the
// next and none repeated (a loop), the key is the leaf's and of a type Steward serves, the
// leaf is valid now and covers every name of the site. Each refusal names the field.
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import type { CertificateUpload } from "@steward/contracts";
import { invalid } from "../../lib/errors.ts";

export interface CheckedUpload {
  leaf: X509Certificate;
  /** the leaf then the intermediates, PEM, as nginx serves them */
  fullchain: string;
  keyType: "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096";
}

const BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const MAX_CHAIN = 10;

function certificatesIn(field: "body.certificate" | "body.chain", pem: string): X509Certificate[] {
  const blocks = pem.match(BLOCK) ?? [];
  if (pem.trim() && !blocks.length)
    throw invalid(field, "must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
  if (blocks.length > MAX_CHAIN)
    throw invalid(field, `must hold at most ${MAX_CHAIN} certificates`);
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalid(field, `certificate ${index + 1} is not a valid X.509 certificate`);
    }
  });
}

/** The chain in order: none twice (a loop), each certificate issued and signed by the next. */
function checkOrder(all: X509Certificate[]) {
  const seen = new Set<string>();
  for (const [index, cert] of all.entries()) {
    if (seen.has(cert.fingerprint256))
      throw invalid(
        index === 0 ? "body.certificate" : "body.chain",
        `holds ${cert.subject.replaceAll("\n", ", ")} twice: the chain loops`,
      );
    seen.add(cert.fingerprint256);
  }
  for (const [index, cert] of all.entries()) {
    const issuer = all[index + 1];
    if (issuer && !(cert.checkIssued(issuer) && cert.verify(issuer.publicKey)))
      throw invalid(
        "body.chain",
        `certificate ${index + 1} of the chain is not signed by the next one: give the intermediates in order, the leaf's issuer first`,
      );
  }
}

function keyTypeOf(key: KeyObject): CheckedUpload["keyType"] | null {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "ec")
    return (
      ({ prime256v1: "ecdsa-p256", secp384r1: "ecdsa-p384" } as const)[
        details.namedCurve as "prime256v1" | "secp384r1"
      ] ?? null
    );
  if (key.asymmetricKeyType === "rsa")
    return (
      ({ 2048: "rsa-2048", 3072: "rsa-3072", 4096: "rsa-4096" } as const)[
        details.modulusLength as 2048 | 3072 | 4096
      ] ?? null
    );
  return null;
}

function checkKey(leaf: X509Certificate, pem: string) {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw invalid("body.key", "is not an unencrypted PEM private key");
  }
  const keyType = keyTypeOf(key);
  if (!keyType) throw invalid("body.key", "must be an ECDSA P-256/P-384 or RSA 2048/3072/4096 key");
  if (!leaf.checkPrivateKey(key)) throw invalid("body.key", "is not the key of this certificate");
  return keyType;
}

/** Checks an upload for a site serving `names`, at `now`. */
export function checkUpload(
  input: Pick<CertificateUpload, "certificate" | "chain" | "key">,
  names: readonly string[],
  now = Date.now(),
): CheckedUpload {
  const [leaf, ...rest] = certificatesIn("body.certificate", input.certificate);
  if (!leaf) throw invalid("body.certificate", "must hold the site's certificate");
  const all = [leaf, ...rest, ...certificatesIn("body.chain", input.chain)];
  if (all.length > MAX_CHAIN)
    throw invalid("body.chain", `must hold at most ${MAX_CHAIN} certificates`);
  checkOrder(all);
  const keyType = checkKey(leaf, input.key);
  if (now < leaf.validFromDate.getTime())
    throw invalid("body.certificate", `is not valid yet: from ${leaf.validFromDate.toISOString()}`);
  if (now > leaf.validToDate.getTime())
    throw invalid("body.certificate", `expired on ${leaf.validToDate.toISOString()}`);
  const missing = names.filter((name) => leaf.checkHost(name) === undefined);
  if (missing.length)
    throw invalid(
      "body.certificate",
      `does not cover ${missing.join(", ")} (it covers ${leaf.subjectAltName ?? "no names"})`,
    );
  const fullchain = all.map((cert) => cert.toString().trim()).join("\n");
  return { leaf, fullchain, keyType };
}
