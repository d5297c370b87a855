// The installation's small PKI, shared by the panel (its CA signs) and the agent (it makes a
// key and a request): ECDSA P-256 keys, PKCS#10 requests, X.509 certificates, PEM. Built on
// @peculiar/x509 over Node's WebCrypto; nothing here touches the disk.
import "reflect-metadata";
import { createHash, webcrypto, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;

export interface KeyPem {
  /** PKCS#8 PEM of the private key */
  privateKey: string;
  keys: CryptoKeyPair;
}

export async function generateKey(): Promise<KeyPem> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { keys, privateKey: x509.PemConverter.encode(pkcs8, "PRIVATE KEY") };
}

/** Loads a PKCS#8 PEM private key (with its public half, derived through JWK). */
export async function importKey(privateKeyPem: string): Promise<CryptoKeyPair> {
  const der = x509.PemConverter.decodeFirst(privateKeyPem);
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, ALG, true, ["sign"]);
  const jwk = await webcrypto.subtle.exportKey("jwk", privateKey);
  const { d: _d, ...pub } = jwk;
  const publicKey = await webcrypto.subtle.importKey(
    "jwk",
    { ...pub, key_ops: ["verify"] },
    ALG,
    true,
    ["verify"],
  );
  return { privateKey, publicKey } as CryptoKeyPair;
}

const serial = () =>
  webcrypto
    .getRandomValues(new Uint8Array(16))
    .reduce((s, b) => s + b.toString(16).padStart(2, "0"), "")
    .replace(/^[89a-f]/, "1");

/** A self-signed CA certificate (10 years) for a fresh installation. */
export async function createCa(
  commonName: string,
  key: KeyPem,
  days = 3650,
  /** CAs allowed under it (0: it signs leaves only; 1: a test root above an intermediate) */
  pathLength = 0,
): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${escapeDn(commonName)}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + days * DAY),
    keys: key.keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, pathLength, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(key.keys.publicKey),
    ],
  });
  return cert.toString("pem");
}

/**
 * A self-signed server certificate for `host` (the panel's stand-in while its own certificate
 * is being obtained): trusted by nobody, it only lets the HTTPS port serve meanwhile.
 */
export async function selfSigned(host: string, key: KeyPem, days = 7): Promise<string> {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${escapeDn(host)}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + days * DAY),
    keys: key.keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([{ type: "dns", value: host }]),
    ],
  });
  return cert.toString("pem");
}

/** A PKCS#10 request (PEM) for this key. */
export async function createCsr(commonName: string, key: KeyPem): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${escapeDn(commonName)}`,
    keys: key.keys,
    signingAlgorithm: ALG,
  });
  return csr.toString("pem");
}

export interface CsrInfo {
  publicKey: x509.PublicKey;
  subject: string;
}

/** Parses a request and checks its self-signature; throws a plain Error when it is not valid. */
export async function readCsr(pem: string): Promise<CsrInfo> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem.trim());
  } catch {
    throw new Error("is not a PEM certificate request");
  }
  if (!(await csr.verify())) throw new Error("its signature does not verify");
  const alg = csr.publicKey.algorithm as EcKeyAlgorithm;
  if (alg.name !== "ECDSA" || alg.namedCurve !== "P-256")
    throw new Error("must be for an ECDSA P-256 key");
  return { publicKey: csr.publicKey, subject: csr.subject };
}

export interface IssueOptions {
  /** CA certificate and key (PEM) */
  caCertificate: string;
  caKey: string;
  /** the subject's common name (a node id, "steward-panel") */
  commonName: string;
  publicKey: x509.PublicKey | CryptoKey;
  /** host names and IP addresses the certificate is valid for (servers) */
  hosts?: string[];
  days?: number;
  /** the validity's start (default: a minute ago) and end (default: `days` after now) */
  notBefore?: Date;
  notAfter?: Date;
  /** "ca": an intermediate CA (tests of uploaded chains) */
  usage: "server-and-client" | "client" | "ca";
}

/** Signs a certificate with the installation's CA. */
export async function issue(o: IssueOptions): Promise<string> {
  const ca = new x509.X509Certificate(o.caCertificate);
  const caKeys = await importKey(o.caKey);
  const eku =
    o.usage === "client"
      ? [x509.ExtendedKeyUsage.clientAuth]
      : [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth];
  const extensions: x509.Extension[] =
    o.usage === "ca"
      ? [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
          await x509.SubjectKeyIdentifierExtension.create(o.publicKey),
        ]
      : [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension(eku, false),
        ];
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(ca, false));
  if (o.hosts?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        o.hosts.map((h) =>
          isIP(h.replace(/^\[|\]$/g, ""))
            ? { type: "ip" as const, value: h.replace(/^\[|\]$/g, "") }
            : { type: "dns" as const, value: h },
        ),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${escapeDn(o.commonName)}`,
    issuer: ca.subject,
    notBefore: o.notBefore ?? new Date(Date.now() - 60_000),
    notAfter: o.notAfter ?? new Date(Date.now() + (o.days ?? 90) * DAY),
    publicKey: o.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return cert.toString("pem");
}

export interface CertInfo {
  /** SHA-256 of the DER, lowercase hex without colons */
  fingerprint: string;
  commonName: string;
  notAfter: Date;
  issuedBy(caPem: string): boolean;
}

export function certInfo(pem: string): CertInfo {
  const c = new X509Certificate(pem);
  return {
    fingerprint: fingerprintOf(c.raw),
    commonName: /CN=([^\n,]+)/.exec(c.subject)?.[1] ?? "",
    notAfter: new Date(c.validTo),
    issuedBy(caPem) {
      const ca = new X509Certificate(caPem);
      return c.checkIssued(ca) && c.verify(ca.publicKey);
    },
  };
}

/** SHA-256 fingerprint of a DER certificate (as TLS peers present it), hex. */
export function fingerprintOf(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

/** Common names are ids and fixed words; anything else is refused rather than escaped. */
function escapeDn(name: string): string {
  if (!/^[A-Za-z0-9 ._-]{1,64}$/.test(name)) throw new Error(`unsafe certificate name: ${name}`);
  return name;
}

export * from "./ari.ts";
export * from "./domain.ts";
