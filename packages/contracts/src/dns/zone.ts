// Zone-level rules, checked before anything is applied, each error naming the record (its
// index in the list) and the field: names inside the zone, values valid for their type, no
// CNAME at the apex or beside other data, MX/NS not pointing at a CNAME, no duplicates, one
// TTL per name and type (an RRset), at most one SPF record per name, NS at the apex.
import { z } from "zod";
import { domain } from "../validators.ts";
import { fqdnOf, ownerName } from "./names.ts";
import { canonicalValue, type DnsRecord, recordInput } from "./records.ts";

export const MAX_RECORDS = 20000;

export interface ZoneIssue {
  path: (string | number)[];
  message: string;
}

export type ZoneCheck =
  | { records: DnsRecord[]; issues: [] }
  | { records: null; issues: ZoneIssue[] };

const at = (i: number, field: string, message: string): ZoneIssue => ({
  path: ["records", i, field],
  message,
});

/** Each record's name and value made canonical, or the issues naming index and field. */
function canonical(zone: string, inputs: z.output<typeof recordInput>[]) {
  const issues: ZoneIssue[] = [];
  const records = inputs.map((input, i) => {
    const name = ownerName(input.name, zone);
    if ("error" in name) issues.push(at(i, "name", name.error));
    const value = canonicalValue(input.type, input.value, zone);
    if ("error" in value) issues.push(at(i, "value", value.error));
    return {
      name: "name" in name ? name.name : "",
      type: input.type,
      ttl: input.ttl,
      value: "value" in value ? value.value : "",
    };
  });
  return { records, issues };
}

/** The rules between records of one zone (records already canonical). */
export function zoneRuleIssues(zone: string, records: DnsRecord[]): ZoneIssue[] {
  const issues: ZoneIssue[] = [];
  const byName = new Map<string, number[]>();
  records.forEach((r, i) => {
    byName.set(r.name, [...(byName.get(r.name) ?? []), i]);
  });
  const cnames = new Set(
    records.filter((r) => r.type === "CNAME").map((r) => fqdnOf(r.name, zone)),
  );
  const seen = new Map<string, number>();
  const rrsetTtl = new Map<string, number>();
  records.forEach((r, i) => {
    const key = `${r.name} ${r.type} ${r.type === "TXT" ? r.value : r.value.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) issues.push(at(i, "value", `duplicates record ${first}`));
    else seen.set(key, i);
    const set = `${r.name} ${r.type}`;
    const setFirst = rrsetTtl.get(set);
    if (setFirst === undefined) rrsetTtl.set(set, i);
    else if (records[setFirst]?.ttl !== r.ttl)
      issues.push(at(i, "ttl", `must equal record ${setFirst}'s TTL (one TTL per name and type)`));
    const others = (byName.get(r.name) ?? []).filter((j) => j !== i);
    if (r.type === "CNAME" && r.name === "@")
      issues.push(at(i, "name", "a CNAME cannot be at the zone's apex (@): use A/AAAA records"));
    else if (r.type === "CNAME" && others.length)
      issues.push(at(i, "name", `a CNAME cannot be beside other records (record ${others[0]})`));
    if ((r.type === "MX" || r.type === "NS") && cnames.has(r.value.split(" ").at(-1) ?? ""))
      issues.push(at(i, "value", `an ${r.type} record must not point at a CNAME`));
    if (r.type === "TXT" && /^v=spf1(\s|$)/i.test(r.value)) {
      const spf = others.find(
        (j) => records[j]?.type === "TXT" && /^v=spf1(\s|$)/i.test(records[j]?.value ?? ""),
      );
      if (spf !== undefined && spf < i)
        issues.push(at(i, "value", `a name has one SPF record at most (record ${spf})`));
    }
  });
  if (!records.some((r) => r.name === "@" && r.type === "NS"))
    issues.push({ path: ["records"], message: "a zone needs at least one NS record at @" });
  return issues;
}

/** Checks a zone's records: canonical records, or every issue found. */
export function checkZone(zone: string, inputs: unknown[]): ZoneCheck {
  const parsed = z.array(recordInput).max(MAX_RECORDS).safeParse(inputs);
  if (!parsed.success)
    return {
      records: null,
      issues: parsed.error.issues.map((i) => ({
        path: ["records", ...(i.path as (string | number)[])],
        message: i.message,
      })),
    };
  const { records, issues } = canonical(zone, parsed.data);
  if (issues.length) return { records: null, issues };
  const rules = zoneRuleIssues(zone, records);
  return rules.length ? { records: null, issues: rules } : { records, issues: [] };
}

export const zoneName = domain;

/** Timers of a zone's SOA record; the serial is the panel's (YYYYMMDDnn). */
export const soaTimers = z.strictObject({
  refresh: z
    .number()
    .int()
    .min(60)
    .max(86400 * 7)
    .default(3600),
  retry: z.number().int().min(60).max(86400).default(600),
  expire: z
    .number()
    .int()
    .min(3600)
    .max(86400 * 60)
    .default(1209600),
  minimum: z.number().int().min(30).max(86400).default(300),
});

/** The next serial: YYYYMMDDnn of today, or one more than the current when that is not less. */
export function nextSerial(current: number, now: Date): number {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const today = Number(day) * 100;
  return current >= today ? current + 1 : today;
}
