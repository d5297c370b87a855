// One record as the panel keeps it: an owner name relative to its zone ("@" for the apex),
// a type, a TTL and a value in one canonical text per type. recordInput is what a client
// sends; canonicalValue checks a value against its type (in the zone's context, since a
// target may be relative) and answers the canonical text, or an error for the value field.
import { z } from "zod";
import { ipText, parseIp } from "../net/address.ts";
import { noControl } from "../validators.ts";
import { targetName } from "./names.ts";
import { spfError, TXT_MAX_BYTES, txtRdata } from "./txt.ts";

export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS", "PTR"] as const;
export const recordType = z.enum(RECORD_TYPES, {
  error: `must be one of ${RECORD_TYPES.join(", ")}`,
});
export type RecordType = z.infer<typeof recordType>;

export const TTL_MIN = 30;
export const TTL_MAX = 604800;
export const DEFAULT_TTL = 3600;
export const ttl = z
  .number({ error: "must be a number of seconds" })
  .int("must be a whole number of seconds")
  .min(TTL_MIN, `must be between ${TTL_MIN} and ${TTL_MAX} seconds`)
  .max(TTL_MAX, `must be between ${TTL_MIN} and ${TTL_MAX} seconds`);

/** A record as sent: checked for shape here, for meaning by checkZone (it needs the zone). */
export const recordInput = z.strictObject({
  name: z.string().max(300, "must be at most 300 characters"),
  type: recordType,
  ttl: ttl.default(DEFAULT_TTL),
  value: z.string().max(TXT_MAX_BYTES * 2, `must be at most ${TXT_MAX_BYTES} bytes`),
});
export type RecordInput = z.input<typeof recordInput>;

/** A record after checkZone: name relative ("@", "www"), value canonical for its type. */
export interface DnsRecord {
  name: string;
  type: RecordType;
  ttl: number;
  value: string;
}

type Result = { value: string } | { error: string };
const u16 = (s: string | undefined) =>
  s !== undefined && /^(0|[1-9][0-9]{0,4})$/.test(s) && Number(s) <= 65535;

function address(value: string, kind: "ipv4" | "ipv6"): Result {
  const a = parseIp(value.trim());
  if (!a || a.kind() !== kind || value.includes("["))
    return { error: `must be an ${kind === "ipv4" ? "IPv4" : "IPv6"} address` };
  return { value: ipText(a) };
}

function target(value: string, zone: string, host: boolean): Result {
  const r = targetName(value, zone, host);
  return "fqdn" in r ? { value: r.fqdn } : r;
}

function numbered(value: string, zone: string, count: number, what: string): Result {
  const parts = value.trim().split(/\s+/);
  const numbers = parts.slice(0, count);
  if (parts.length !== count + 1 || !numbers.every(u16))
    return { error: `must be ${what} (numbers from 0 to 65535, then a host name)` };
  const host = target(parts[count] ?? "", zone, true);
  return "value" in host ? { value: [...numbers.map(Number), host.value].join(" ") } : host;
}

const CAA_TAGS = ["issue", "issuewild", "iodef"];
function caa(value: string): Result {
  const m = /^\s*(\d{1,3})\s+([A-Za-z0-9]+)\s+(?:"([^"\\]*)"|([^\s"\\]+))\s*$/.exec(value);
  if (!m) return { error: 'must be flags, a tag and a value, like 0 issue "letsencrypt.org"' };
  const [, flags = "", rawTag = "", quoted, bare] = m;
  const tag = rawTag.toLowerCase();
  const text = quoted ?? bare ?? "";
  if (flags !== "0" && flags !== "128") return { error: "CAA flags must be 0 or 128" };
  if (!CAA_TAGS.includes(tag)) return { error: "CAA tag must be issue, issuewild or iodef" };
  if (!noControl(text)) return { error: "must not contain control characters" };
  if (tag === "iodef" && !/^(mailto:[^\s@]+@[^\s@]+|https?:\/\/\S+)$/.test(text))
    return { error: "an iodef value must be a mailto: or https: URL" };
  if (tag !== "iodef" && !/^(;|[a-z0-9.-]+(\s*;.*)?)?$/i.test(text))
    return { error: `an ${tag} value must be a CA's domain (like letsencrypt.org) or ";"` };
  return { value: `${flags} ${tag} "${text}"` };
}

function txt(value: string): Result {
  if (value.includes("\u0000") || /[\r\n]/.test(value))
    return { error: "must not contain NUL or newlines" };
  if (!noControl(value)) return { error: "must not contain control characters" };
  if (new TextEncoder().encode(value).length > TXT_MAX_BYTES)
    return { error: `must be at most ${TXT_MAX_BYTES} bytes` };
  const spf = spfError(value);
  return spf ? { error: spf } : { value };
}

/** The canonical value of a record of this type in this zone, or why not. */
export function canonicalValue(type: RecordType, value: string, zone: string): Result {
  if (type !== "TXT" && !noControl(value)) return { error: "must not contain control characters" };
  switch (type) {
    case "A":
      return address(value, "ipv4");
    case "AAAA":
      return address(value, "ipv6");
    case "CNAME":
    case "PTR":
      return target(value, zone, false);
    case "NS":
      return target(value, zone, true);
    case "MX":
      return numbered(value, zone, 1, "a priority and a mail server, like 10 mail.example.com.");
    case "SRV":
      return numbered(value, zone, 3, "priority, weight, port and target, like 10 5 5060 sip");
    case "CAA":
      return caa(value);
    case "TXT":
      return txt(value);
  }
}

/** The rdata as a zone file and PowerDNS's API write it (TXT quoted and split). */
export const rdata = (r: Pick<DnsRecord, "type" | "value">) =>
  r.type === "TXT" ? txtRdata(r.value) : r.value;
