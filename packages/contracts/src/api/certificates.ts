// Certificates (C9) through the API: a site's certificate, its state and validity, the list
// in expiry order, a renewal on demand.
import { z } from "zod";
import { keyType } from "../agent/certs.ts";
import { sortQuery } from "../pagination.ts";
import { id } from "../validators.ts";

export const certificateChallenge = z.enum(["http-01", "dns-01"]);

export const certificateState = z.enum(["pending", "issuing", "active", "failed"]);

/** Where the installed certificate came from: an ACME order, or an upload (never renewed). */
export const certificateSource = z.enum(["acme", "upload"]);

/** Key types an uploaded certificate may have (ACME orders use `keyType`). */
export const uploadedKeyType = z.enum([...keyType.options, "ecdsa-p384", "rsa-3072", "rsa-4096"]);

export const certificate = z.object({
  id: z.string(),
  siteId: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  /** the names it covers (ASCII), the site's domains and aliases */
  names: z.array(z.string()),
  keyType: uploadedKeyType,
  /** acme: ordered and renewed by Steward; upload: installed as given, expiry warned only */
  source: certificateSource,
  /** pending: none yet; issuing: a task orders it; active: installed; failed: the last try failed */
  state: certificateState,
  hsts: z.boolean(),
  /** the challenge asked for; null: dns-01 when a DNS provider covers every name */
  challenge: certificateChallenge.nullable(),
  wildcard: z.boolean(),
  /** the installed certificate, null until one is */
  serial: z.string().nullable(),
  issuer: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  /** whole days until notAfter (negative once expired), null without a certificate */
  daysLeft: z.number().int().nullable(),
  /** when the daily scan renews it */
  renewAt: z.string().nullable(),
  /** why the last try failed, in words a person can act on */
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Certificate = z.infer<typeof certificate>;

/**
 * What the certificates list sorts by: expiry (soonest first; pending ones first), the names
 * (the primary name's order), the state (its name's order), creation.
 */
export const certificateSorts = ["expires", "name", "state", "createdAt"] as const;

export const certificateListQuery = z.strictObject({
  account: id.optional(),
  site: id.optional(),
  state: certificateState.optional(),
  sort: sortQuery(certificateSorts),
});

/** A site's certificate is asked for with the site; this sets its options. */
export const certificateRequest = z
  .strictObject({
    site: id,
    keyType: keyType.default("ecdsa-p256"),
    hsts: z.boolean().default(false),
    /** default: dns-01 when a DNS provider of the account covers every name, else http-01 */
    challenge: certificateChallenge.optional(),
    /** also cover `*.<primary domain>` (dns-01 only) */
    wildcard: z.boolean().default(false),
  })
  .refine((r) => !(r.wildcard && r.challenge === "http-01"), {
    path: ["challenge"],
    message: "a wildcard certificate needs dns-01 (http-01 cannot validate a wildcard)",
  });
export type CertificateRequest = z.infer<typeof certificateRequest>;

/** A change's answer: the certificate and the task ordering it. */
export const certificateChange = certificate.extend({ taskId: z.string() });

/** One PEM field of an upload, bounded (a real chain is a few KiB). */
const pemField = (what: string) =>
  z
    .string()
    .max(64 * 1024, "must be at most 64 KiB")
    .regex(/^\s*-----BEGIN [A-Z0-9 ]+-----/, `must be PEM (${what})`);

/**
 * A certificate bought or made elsewhere, for a site: checked by the panel (chain order and
 * signatures, the key is the certificate's, the names cover the site's, valid now) and
 * installed on the site's node. The key goes to the node only: never stored or answered.
 */
export const certificateUpload = z.strictObject({
  site: id,
  /** the site's certificate (PEM); intermediates after it are taken as the chain's start */
  certificate: pemField("-----BEGIN CERTIFICATE-----"),
  /** the intermediates, leaf's issuer first (PEM); empty when the certificate is self-issued */
  chain: z.union([z.literal(""), pemField("-----BEGIN CERTIFICATE-----")]).default(""),
  /** the certificate's private key (PEM, unencrypted) */
  key: pemField("-----BEGIN PRIVATE KEY-----"),
  hsts: z.boolean().default(false),
});
export type CertificateUpload = z.infer<typeof certificateUpload>;

/**
 * The panel's own certificate (STEWARD_TLS_DOMAIN): obtained by the panel for its domain,
 * served on its HTTPS port, renewed by the daily scan. Seen by super users.
 */
export const panelCertificate = z.object({
  domain: z.string(),
  /** pending: the self-signed stand-in is served until the CA's certificate is installed */
  state: certificateState,
  serial: z.string().nullable(),
  issuer: z.string().nullable(),
  notBefore: z.string().nullable(),
  notAfter: z.string().nullable(),
  daysLeft: z.number().int().nullable(),
  renewAt: z.string().nullable(),
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
});
export type PanelCertificate = z.infer<typeof panelCertificate>;
