// The Cloudflare fake's check of a DNS record body, strict like the API's documented shapes:
// the nine types Steward writes; `content` for A, AAAA, CNAME, NS, PTR, MX and TXT (MX with a
// `priority`), `data` for SRV ({priority, weight, port, target}) and CAA ({flags, tag, value})
// and no `content` then; `proxied` a boolean, on A, AAAA and CNAME only; `ttl` 1 (automatic)
// or 60 to 86400; `comment` a string of at most 100 characters; no other field. A refusal is
// the API's 400 with its code; a body that passes answers the record's stored fields.
import { isIPv4, isIPv6 } from "node:net";

export type Refusal = { code: number; message: string };

export interface RecordFields {
  name: string;
  type: string;
  content: string;
  priority?: number;
  data?: Record<string, unknown>;
  ttl: number;
  proxied: boolean;
  comment: string | null;
}

/** A record as the fake keeps and answers it. */
export interface FakeRecord extends RecordFields {
  id: string;
  zone_id: string;
  zone_name: string;
  created_on: string;
  modified_on: string;
}

const FIELDS = new Set([
  "type",
  "name",
  "content",
  "data",
  "priority",
  "ttl",
  "proxied",
  "comment",
]);
const TYPES = new Set(["A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA", "NS", "PTR"]);
const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);
const HOST = /^(?=.{1,253}$)([A-Za-z0-9_*-]{1,63})(\.[A-Za-z0-9_-]{1,63})*$/;
const invalid = (why: string): Refusal => ({
  code: 9207,
  message: `Request body is invalid: ${why}`,
});
const control = (s: string, allowTab = false) =>
  [...s].some((c) => c.charCodeAt(0) < 32 && !(allowTab && c === "\t"));
const u16 = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;

function checkData(type: string, data: unknown): Refusal | null {
  if (!data || typeof data !== "object" || Array.isArray(data))
    return invalid(`data is required for ${type} records`);
  const d = data as Record<string, unknown>;
  const keys =
    type === "SRV" ? ["priority", "weight", "port", "target"] : ["flags", "tag", "value"];
  const extra = Object.keys(d).find((k) => !keys.includes(k));
  if (extra) return invalid(`unknown field data.${extra}`);
  if (type === "SRV") {
    if (!u16(d.priority) || !u16(d.weight) || !u16(d.port))
      return invalid("data.priority, data.weight and data.port must be integers 0-65535");
    if (typeof d.target !== "string" || !HOST.test(d.target))
      return { code: 9101, message: "SRV target must be a valid hostname" };
    return null;
  }
  if (d.flags !== 0 && d.flags !== 128) return invalid("data.flags must be 0 or 128");
  if (typeof d.tag !== "string" || !["issue", "issuewild", "iodef"].includes(d.tag))
    return invalid("data.tag must be issue, issuewild or iodef");
  if (typeof d.value !== "string" || control(d.value) || d.value.includes('"'))
    return invalid("data.value must be a string without control characters or quotes");
  return null;
}

function checkContent(type: string, content: unknown): Refusal | null {
  if (typeof content !== "string") return invalid(`content is required for ${type} records`);
  if (type === "A" && !isIPv4(content))
    return { code: 9005, message: "Content for A record must be a valid IPv4 address." };
  if (type === "AAAA" && !isIPv6(content))
    return { code: 9006, message: "Content for AAAA record must be a valid IPv6 address." };
  if (["CNAME", "NS", "PTR", "MX"].includes(type) && !HOST.test(content))
    return { code: 9007, message: `Content for ${type} record must be a valid hostname.` };
  if (type === "TXT" && control(content, true))
    return invalid("content must not hold control characters");
  return null;
}

const contentOf = (type: string, d: Record<string, unknown>) =>
  type === "SRV" ? `${d.weight} ${d.port} ${d.target}` : `${d.flags} ${d.tag} "${d.value}"`;

/** The body of a create or a put in `zone`: the record's fields, or the API's refusal. */
export function checkRecordBody(body: unknown, zone: string): RecordFields | Refusal {
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid("not an object");
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !FIELDS.has(k));
  if (extra) return invalid(`unknown field ${extra}`);
  const type = b.type;
  if (typeof type !== "string" || !TYPES.has(type))
    return { code: 1004, message: "DNS Validation Error: invalid record type" };
  if (typeof b.name !== "string" || !HOST.test(b.name))
    return invalid("name must be a host name without a trailing dot");
  if (b.name !== zone && !b.name.endsWith(`.${zone}`))
    return { code: 9007, message: "Content for the record name is outside the zone." };
  if (typeof b.ttl !== "number" || !Number.isInteger(b.ttl))
    return invalid("ttl must be an integer");
  if (b.ttl !== 1 && (b.ttl < 60 || b.ttl > 86400))
    return {
      code: 9021,
      message: "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.",
    };
  if (b.proxied !== undefined && (typeof b.proxied !== "boolean" || !PROXIABLE.has(type)))
    return invalid(`proxied is a boolean of A, AAAA and CNAME records only, not ${type}`);
  if (b.comment !== undefined && (typeof b.comment !== "string" || b.comment.length > 100))
    return invalid("comment must be a string of at most 100 characters");
  if (type === "MX" ? !u16(b.priority) : b.priority !== undefined)
    return invalid(type === "MX" ? "priority must be an integer 0-65535" : "priority is MX's");
  const structured = type === "SRV" || type === "CAA";
  const bad = structured
    ? b.content !== undefined
      ? invalid(`content is not set for ${type}: give data`)
      : checkData(type, b.data)
    : b.data !== undefined
      ? invalid(`data is not set for ${type}`)
      : checkContent(type, b.content);
  if (bad) return bad;
  const data = structured ? (b.data as Record<string, unknown>) : undefined;
  return {
    name: b.name,
    type,
    content: data ? contentOf(type, data) : (b.content as string),
    ...(type === "MX" ? { priority: b.priority as number } : {}),
    ...(type === "SRV" ? { priority: (data as Record<string, unknown>).priority as number } : {}),
    ...(data ? { data } : {}),
    ttl: b.ttl,
    proxied: b.proxied === true,
    comment: typeof b.comment === "string" ? b.comment : null,
  };
}

export const isRefusal = (r: RecordFields | Refusal): r is Refusal => "code" in r;

/** Two records the API calls identical (same name, type and content). */
export const identical = (a: RecordFields, b: RecordFields) =>
  a.name === b.name &&
  a.type === b.type &&
  a.content === b.content &&
  (a.priority ?? null) === (b.priority ?? null);
