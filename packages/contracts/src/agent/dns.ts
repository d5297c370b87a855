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
    /** signed (DNSSEC): PowerDNS only; BIND refuses with DNSSEC_UNSUPPORTED */
    dnssec: z.boolean().default(false),
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

export const dnsZoneRemoveInput = z.strictObject({ id, zone: zoneName });
