// Authoritative zones as the agent serves them (C10): the whole zone every time (records
// already canonical, the serial chosen by the panel), to BIND or PowerDNS as the node's
// agent.json says. The agent checks the records again with the same rules (checkZone) before
// a byte is written.
import { z } from "zod";
import { recordType, ttl } from "../dns/records.ts";
import { checkZone, soaTimers, zoneName } from "../dns/zone.ts";
import { id } from "../validators.ts";

export const dnsBackend = z.enum(["bind", "powerdns"]);
export type DnsBackend = z.infer<typeof dnsBackend>;

/** Where another node's DNS server is reached for AXFR and NOTIFY: IPv4 and port. */
export const dnsPeer = z
  .string()
  .regex(
    /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}:([1-9]\d{0,4})$/,
    "must be an IPv4 address and a port, like 192.0.2.1:53",
  )
  .refine((s) => Number(s.split(":")[1]) <= 65535, "must be an IPv4 address and a port");

const canonicalRecord = z.strictObject({
  name: z.string().max(300),
  type: recordType,
  ttl,
  value: z.string().max(8000),
});

export const dnsZoneApplyInput = z
  .strictObject({
    /** the zone's id on the panel (the operation lock's key) */
    id,
    zone: zoneName,
    /** YYYYMMDDnn, one more than the last applied */
    serial: z.number().int().min(1).max(4294967295),
    soa: soaTimers.default(soaTimers.parse({})),
    records: z.array(canonicalRecord).max(20000),
    /** signed (DNSSEC): PowerDNS only; BIND refuses with DNS_UNSUPPORTED */
    dnssec: z.boolean().default(false),
    /** the secondaries' servers: allowed to transfer the zone (AXFR) and notified of changes */
    transfers: z.array(dnsPeer).max(16).default([]),
  })
  .superRefine((input, ctx) => {
    const checked = checkZone(input.zone, input.records);
    for (const issue of checked.issues)
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    const same = checked.records?.every(
      (r, i) => r.name === input.records[i]?.name && r.value === input.records[i]?.value,
    );
    if (checked.records && !same)
      ctx.addIssue({
        code: "custom",
        path: ["records"],
        message: "must be canonical (checkZone's output)",
      });
  });
export type DnsZoneApplyInput = z.infer<typeof dnsZoneApplyInput>;

/** A signed zone's keys as the registrar needs them: DS and DNSKEY record data. */
export const dnssecKeys = z.object({ ds: z.array(z.string()), dnskeys: z.array(z.string()) });
export type DnssecKeys = z.infer<typeof dnssecKeys>;

export const dnsZoneApplyOutput = z.object({
  backend: dnsBackend,
  /** the serial the node's server answers with after the change */
  serial: z.number(),
  /** the zone's keys while it is signed, else null */
  dnssec: dnssecKeys.nullable().default(null),
});

/** dns.zone.secondary: serve a zone as a secondary of `primaries`, up to `serial` at least. */
export const dnsZoneSecondaryInput = z.strictObject({
  id,
  zone: zoneName,
  primaries: z.array(dnsPeer).min(1).max(8),
  /** the primary's serial: the operation ends when this server answers it (or a later one) */
  serial: z.number().int().min(1).max(4294967295),
});
export type DnsZoneSecondaryInput = z.infer<typeof dnsZoneSecondaryInput>;

export const dnsZoneSecondaryOutput = z.object({ backend: dnsBackend, serial: z.number() });

export const dnsZoneRemoveInput = z.strictObject({ id, zone: zoneName });
