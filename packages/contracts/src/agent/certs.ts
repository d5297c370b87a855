// Certificates (C9) as the agent handles them: the private key is made on the node and never
// leaves it (cert.request answers a CSR), http-01 challenge answers are files nginx serves on
// port 80 for every site (cert.challenge), and the signed chain is installed next to the key
// (cert.install). The panel runs the ACME order in between.
import { z } from "zod";
import { domain, id } from "../validators.ts";

export const keyType = z.enum(["ecdsa-p256", "rsa-2048"]);
export type KeyType = z.infer<typeof keyType>;

/** A certificate name: a domain, or `*.` and a domain (a wildcard, validated by dns-01). */
const certificateName = z.union([
  domain,
  z
    .string()
    .regex(/^\*\./, "must be a domain or *.domain")
    .transform((s) => s.slice(2))
    .pipe(domain)
    .transform((s) => `*.${s}`),
]);

/** The names of one certificate: a site's domains and aliases, and maybe a wildcard. */
export const certificateNames = z
  .array(certificateName)
  .min(1, "must list at least one name")
  .max(100, "must list at most 100 names")
  .refine((names) => new Set(names).size === names.length, "must not repeat a name");

export const certRequestInput = z.strictObject({
  /** the site the certificate is for (its files are kept under its id) */
  id,
  names: certificateNames,
  keyType: keyType.default("ecdsa-p256"),
});
export const certRequestOutput = z.object({ csr: z.string() });

/** An ACME token: base64url (RFC 8555 section 8.1), so it is a safe file name as it stands. */
export const acmeToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, "must be an ACME token (16 to 128 base64url characters)");
/** token "." thumbprint, both base64url */
export const keyAuthorization = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "must be an ACME key authorization");

export const certChallengeInput = z.strictObject({
  id,
  place: z
    .array(z.strictObject({ token: acmeToken, keyAuthorization }))
    .max(100)
    .default([]),
  remove: z.array(acmeToken).max(100).default([]),
});

const PEM_CHAIN_MAX = 64 * 1024;
export const certInstallInput = z.strictObject({
  id,
  /** the leaf certificate then its chain, PEM, as the CA sent them */
  certificate: z
    .string()
    .max(PEM_CHAIN_MAX, "must be at most 64 KiB")
    .regex(/^\s*-----BEGIN CERTIFICATE-----/, "must be a PEM certificate chain"),
  /**
   * an uploaded certificate's key (PEM), installed instead of the key waiting from
   * cert.request; sent only here, over the agent's mutual TLS, never kept by the panel
   */
  key: z
    .string()
    .max(16 * 1024, "must be at most 16 KiB")
    .regex(/^\s*-----BEGIN [A-Z ]*PRIVATE KEY-----/, "must be a PEM private key")
    .optional(),
});
export const certInstallOutput = z.object({
  /** the leaf's serial number, upper-case hex as X.509 tools print it */
  serial: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  issuer: z.string(),
  /** nginx was reloaded and served this serial (false: the site's vhost has no TLS block yet) */
  served: z.boolean(),
});
