// Certificates (C9) through the API: a site's certificate, its state and validity, the list
// in expiry order, a renewal on demand.
import { z } from "zod";
import { keyType } from "../agent/certs.ts";
import { sortQuery } from "../pagination.ts";
import { id } from "../validators.ts";

export const certificateChallenge = z.enum(["http-01", "dns-01"]);

export const certificateState = z.enum(["pending", "issuing", "active", "failed"]);

export const certificate = z.object({
  id: z.string(),
  siteId: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  /** the names it covers (ASCII), the site's domains and aliases */
  names: z.array(z.string()),
  keyType,
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

/** What the certificates list sorts by: expiry (soonest first; pending ones first), creation. */
export const certificateSorts = ["expires", "createdAt"] as const;

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
