// A zone's records as Cloudflare's API writes them, and back (docs/dns.md "Zones at
// Cloudflare"): names written out in full without the trailing dot, MX's priority beside its
// content, SRV's and CAA's parts in `data`, `proxied` off (A, AAAA and CNAME only: the others
// have no such field), and the comment that marks what Steward wrote. A record read back is
// made canonical by the contracts' own rules, so both sides compare as the panel stores them.
import {
  canonicalValue,
  type DnsRecord,
  fqdnOf,
  ownerName,
  type RecordInput as ZoneInput,
} from "@steward/contracts/dns";
import type {
  CloudflareRecord,
  CloudflareType,
  RecordInput,
} from "../../integrations/cloudflare/client.ts";

/** The comment on every record Steward writes: what a zone not fully synced may delete. */
export const STEWARD_MARK = "managed by Steward";
/** Cloudflare's "automatic" TTL, and what it means in seconds. */
export const AUTO_TTL = 1;
export const AUTO_SECONDS = 300;

const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);
const bare = (fqdn: string) => fqdn.replace(/\.$/, "");

/** A canonical record of `zone` → the body Cloudflare takes. */
export function toCloudflare(r: DnsRecord, zone: string): RecordInput {
  const base = {
    type: r.type as CloudflareType,
    name: bare(fqdnOf(r.name, zone)),
    ttl: r.ttl,
    ...(PROXIABLE.has(r.type) ? { proxied: false } : {}),
    comment: STEWARD_MARK,
  };
  const parts = r.value.split(" ");
  switch (r.type) {
    case "MX":
      return { ...base, priority: Number(parts[0]), content: bare(parts[1] ?? "") };
    case "SRV":
      return {
        ...base,
        data: {
          priority: Number(parts[0]),
          weight: Number(parts[1]),
          port: Number(parts[2]),
          target: bare(parts[3] ?? ""),
        },
      };
    case "CAA": {
      const m = /^(\d+) (\S+) "(.*)"$/.exec(r.value);
      return { ...base, data: { flags: Number(m?.[1]), tag: m?.[2] ?? "", value: m?.[3] ?? "" } };
    }
    case "CNAME":
    case "NS":
    case "PTR":
      return { ...base, content: bare(r.value) };
    default:
      return { ...base, content: r.value };
  }
}

/** TXT content as Cloudflare may answer it: `"a" "b"` (quoted strings) is the text `ab`. */
function txtText(content: string): string {
  if (!/^".*"$/s.test(content)) return content;
  const strings = [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
  return strings.join("").replace(/\\(.)/g, "$1");
}

const num = (v: unknown) => (typeof v === "number" ? String(v) : "");
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** A record Cloudflare holds → a record input (null: a type Steward does not keep). */
export function fromCloudflare(c: CloudflareRecord): ZoneInput | null {
  const d = c.data ?? {};
  const ttl = c.ttl === AUTO_TTL ? AUTO_SECONDS : c.ttl;
  const name = `${c.name}.`;
  switch (c.type) {
    case "A":
    case "AAAA":
      return { name, type: c.type, ttl, value: c.content };
    case "CNAME":
    case "NS":
    case "PTR":
      return { name, type: c.type, ttl, value: `${c.content}.` };
    case "MX":
      return { name, type: "MX", ttl, value: `${c.priority ?? 0} ${c.content}.` };
    case "SRV":
      return {
        name,
        type: "SRV",
        ttl,
        value: `${num(d.priority)} ${num(d.weight)} ${num(d.port)} ${str(d.target)}.`,
      };
    case "CAA":
      return { name, type: "CAA", ttl, value: `${num(d.flags)} ${str(d.tag)} "${str(d.value)}"` };
    case "TXT":
      return { name, type: "TXT", ttl, value: txtText(c.content) };
    default:
      return null;
  }
}

/** The key two records share when they are the same record (TTL aside), or null. */
export function keyOf(r: ZoneInput, zone: string): string | null {
  const owner = ownerName(r.name, zone);
  const value = canonicalValue(r.type, r.value, zone);
  if ("error" in owner || "error" in value) return null;
  return `${r.type} ${owner.name} ${value.value}`;
}

/** An apex NS record: Cloudflare answers its own name servers there, Steward never writes it. */
export const isApexNs = (r: { name: string; type: string }, zone: string) =>
  r.type === "NS" && (r.name === "@" || r.name === zone || r.name === `${zone}.`);
