// Authoritative DNS (C10) through the API: zones as desired state on a node, their records
// (checked as a whole by checkZone before anything is applied), import and export as RFC 1035
// zone files, and a template of default records for a new zone.
import { z } from "zod";
import { dnsBackend, dnssecKeys } from "../agent/dns.ts";
import { recordInput, recordType, ttl } from "../dns/records.ts";
import { zoneName } from "../dns/zone.ts";
import { ipText, parseIp } from "../net/address.ts";
import { sortQuery } from "../pagination.ts";
import { id } from "../validators.ts";

export const dnsZoneStatus = z.enum(["pending", "active", "failed", "deleting"]);

export const dnsZone = z.object({
  id: z.string(),
  name: z.string(),
  accountId: z.string(),
  /** the node serving it, or null when a DNS provider holds it (`providerId`) */
  nodeId: z.string().nullable(),
  /** the DNS provider (Cloudflare) holding it instead of a node */
  providerId: z.string().nullable(),
  /** at a provider: true when records Steward did not write are deleted too */
  fullSync: z.boolean(),
  /** the server software serving it (as its node reported on the last apply; "cloudflare" at a provider), null before */
  backend: z.enum([...dnsBackend.options, "cloudflare"]).nullable(),
  /** the serial of the desired state, and the one the node last served */
  serial: z.number(),
  appliedSerial: z.number().nullable(),
  status: dnsZoneStatus,
  lastError: z.string().nullable(),
  records: z.number().int(),
  /** signed or not (wished), and the DS/DNSKEY records to give the registrar once served */
  dnssec: dnssecKeys.extend({ enabled: z.boolean() }),
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DnsZone = z.infer<typeof dnsZone>;
export const dnsZoneChange = dnsZone.extend({ taskId: z.string() });

const address = (kind: "ipv4" | "ipv6") =>
  z
    .string()
    .refine(
      (s) => parseIp(s)?.kind() === kind,
      `must be an ${kind === "ipv4" ? "IPv4" : "IPv6"} address`,
    )
    .transform((s) => ipText(parseIp(s) as NonNullable<ReturnType<typeof parseIp>>));

/** Addresses a new site's names get in the zones Steward manages (POST /api/v1/sites). */
export const siteDnsRecords = z
  .strictObject({ ipv4: address("ipv4").optional(), ipv6: address("ipv6").optional() })
  .refine((a) => a.ipv4 || a.ipv6, "must give ipv4, ipv6 or both");

/**
 * Default records for a new domain (templates.ts): name servers, web (A/AAAA at @ and www),
 * mail (MX to mail.<zone>, SPF, DMARC) and a DKIM slot (a TXT the mail capability fills).
 */
export const dnsZoneTemplate = z.strictObject({
  nameservers: z.array(z.string().max(253)).min(1).max(8),
  ipv4: address("ipv4").optional(),
  ipv6: address("ipv6").optional(),
  mail: z.boolean().default(true),
  dmarcReport: z.email("must be an email address").optional(),
});
export type DnsZoneTemplate = z.infer<typeof dnsZoneTemplate>;

export const dnsZoneCreate = z
  .strictObject({
    name: zoneName,
    /** the node to serve it, or */
    node: id.optional(),
    /** the DNS provider of the account holding it (Cloudflare) */
    provider: id.optional(),
    account: id.optional(),
    /** records to start with (checked like any change) */
    records: z.array(recordInput).max(20000).default([]),
    /** default records added to `records` */
    template: dnsZoneTemplate.optional(),
    /** at a provider: start from the records it holds (added to `records`) */
    import: z.boolean().default(false),
    /** at a provider: delete its records Steward did not write too (default: leave them) */
    fullSync: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if ((v.node === undefined) === (v.provider === undefined))
      ctx.addIssue({ code: "custom", path: ["node"], message: "give either node or provider" });
    else if (v.node !== undefined && (v.import || v.fullSync))
      ctx.addIssue({
        code: "custom",
        path: [v.import ? "import" : "fullSync"],
        message: "is for a zone at a DNS provider only",
      });
  });
export type DnsZoneCreate = z.infer<typeof dnsZoneCreate>;

/** POST /api/v1/dns/zones/{id}/dnssec: sign (PowerDNS) or unsign the zone. */
export const dnsZoneDnssec = z.strictObject({ enabled: z.boolean() });

/** A secondary of a zone: another node serving it by transfer (AXFR) from the zone's node. */
export const dnsSecondaryStates = ["pending", "active", "failed", "removing"] as const;
export const dnsSecondary = z.object({
  zoneId: z.string(),
  nodeId: z.string(),
  nodeName: z.string().nullable(),
  /** where the secondary's server is reached: its node's DNS address (null once unset) */
  address: z.string().nullable(),
  state: z.enum(dnsSecondaryStates),
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DnsSecondary = z.infer<typeof dnsSecondary>;
export const dnsSecondaryList = z.object({ items: z.array(dnsSecondary) });
export const dnsSecondaryCreate = z.strictObject({ node: id });
export const dnsSecondaryChange = dnsSecondary.extend({ taskId: z.string() });

export const dnsZoneListQuery = z.strictObject({
  account: id.optional(),
  node: id.optional(),
  sort: sortQuery(["createdAt"]),
});

export const dnsRecord = z.object({
  id: z.string(),
  name: z.string(),
  type: recordType,
  ttl: z.number(),
  value: z.string(),
});
export type DnsRecordItem = z.infer<typeof dnsRecord>;
export const dnsRecordList = z.object({ items: z.array(dnsRecord) });
export const dnsRecordChange = z.object({ record: dnsRecord.nullable(), zone: dnsZoneChange });
/** a change to some fields of a record (a TTL left out stays as it was: no default here) */
export const dnsRecordUpdate = recordInput.extend({ ttl: ttl.optional() }).partial();

export const dnsZoneImport = z.strictObject({
  /** an RFC 1035 master file ($ORIGIN and $TTL followed; $INCLUDE, $GENERATE refused) */
  zoneFile: z.string().min(1, "must not be empty").max(1_000_000, "must be at most 1 MB"),
  /** true: the file's records replace the zone's; false: they are added */
  replace: z.boolean().default(true),
});

export const dnsZoneExport = z.object({ name: z.string(), zoneFile: z.string() });
