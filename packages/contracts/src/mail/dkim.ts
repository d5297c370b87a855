// DKIM, SPF and DMARC for a mail domain (docs/mail.md#dkim-spf-and-dmarc): the selector rule,
// the records a domain needs (one logical TXT text each; the DNS capability splits a text
// into 255-byte strings) and the API's answers. A selector is one DNS label of lowercase
// letters, digits and inner hyphens, so nothing of it can reach a KeyTable line, a file name
// or a record name with a dot, a slash, an underscore (`_domainkey` injection) or whitespace.
import { z } from "zod";
import { localPart } from "./names.ts";

export const selectorPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const spfAlls = ["~all", "-all"] as const;
export const dmarcPolicies = ["none", "quarantine", "reject"] as const;

export const dkimSelector = z
  .string()
  .max(63, "must be at most 63 characters")
  .refine(
    (s) => selectorPattern.test(s),
    "must be one DNS label of lowercase letters, digits and inner hyphens",
  );

/** A new key's selector: `steward<yyyymm>`, with `-<n>` when that month has one already. */
export function nextSelector(now: Date, taken: readonly string[]): string {
  const month = `${now.getUTCFullYear()}${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
  const base = `steward${month}`;
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** The DKIM record's text for a public key (base64 of its DER SubjectPublicKeyInfo). */
export const dkimRecordText = (publicKey: string) => `v=DKIM1; k=rsa; p=${publicKey}`;

export const spfText = (all: (typeof spfAlls)[number] = "~all") => `v=spf1 mx a ${all}`;

export const dmarcText = (policy: (typeof dmarcPolicies)[number], report: string | null) =>
  `v=DMARC1; p=${policy}${report ? `; rua=mailto:${report}` : ""}`;

export const mailRecordKinds = ["mx", "spf", "dkim", "dmarc"] as const;
export type MailRecordKind = (typeof mailRecordKinds)[number];

/** A record the domain should have: its name relative to the domain (`@`, `_dmarc`…). */
export const mailDnsRecord = z.object({
  kind: z.enum(mailRecordKinds),
  /** the fully qualified name */
  fqdn: z.string(),
  type: z.enum(["MX", "TXT"]),
  /** the text (TXT) or `<preference> <host>.` (MX; empty: any MX, the node has no host name) */
  value: z.string(),
});
export type MailDnsRecord = z.infer<typeof mailDnsRecord>;

export const dkimKeyStates = ["pending", "active", "retired", "failed"] as const;

export const mailDkimAnswer = z.object({
  domainId: z.string(),
  /** null until a key is made (POST …/dkim/rotate) */
  selector: z.string().nullable(),
  status: z.enum(dkimKeyStates).nullable(),
  /** base64 DER of the public key; null while the node makes it */
  publicKey: z.string().nullable(),
  /** the zone Steward manages for the domain (records created there), or null: copy them */
  zoneId: z.string().nullable(),
  records: z.array(mailDnsRecord),
  /** older selectors still published (a rotation keeps the previous one until the next) */
  retired: z.array(z.string()),
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  /** how the SPF and DMARC records read; dmarcReport is the full address */
  policy: z.object({
    spfAll: z.enum(spfAlls),
    dmarcPolicy: z.enum(dmarcPolicies),
    dmarcReport: z.string().nullable(),
  }),
});
export type MailDkimAnswer = z.infer<typeof mailDkimAnswer>;

/** How the domain's SPF and DMARC records read (PATCH …/dkim); what is left out stays. */
export const mailDnsPolicy = z
  .strictObject({
    /** `~all` (soft fail, the default) or `-all` (fail) for mail from elsewhere */
    spfAll: z.enum(spfAlls).optional(),
    /** DMARC's p= (default none: report only) */
    dmarcPolicy: z.enum(dmarcPolicies).optional(),
    /** the mailbox or alias of the domain (its local part) aggregate reports go to; null: none */
    dmarcReport: localPart.nullable().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), "nothing to change");
export type MailDnsPolicy = z.infer<typeof mailDnsPolicy>;

export const mailDkimRotate = z.strictObject({
  /** the new key's selector; default steward<yyyymm> */
  selector: dkimSelector.optional(),
});

export const dnsCheckStates = ["ok", "missing", "wrong"] as const;

export const mailDnsCheckAnswer = z.object({
  domainId: z.string(),
  /** the resolver asked (the panel's setting, never the caller's) */
  resolver: z.string(),
  records: z.array(
    mailDnsRecord.extend({
      state: z.enum(dnsCheckStates),
      /** what live DNS answered (TXT texts joined, MX as `<preference> <host>`) */
      found: z.array(z.string()),
    }),
  ),
});
export type MailDnsCheckAnswer = z.infer<typeof mailDnsCheckAnswer>;
