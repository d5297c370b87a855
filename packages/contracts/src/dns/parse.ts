// Importing an RFC 1035 master file: $ORIGIN and $TTL are followed, $INCLUDE and $GENERATE
// refused (a file must never make the panel read another or expand into thousands of
// records), SOA skipped (the panel writes its own), the record types Steward keeps turned
// into record inputs that checkZone then validates like any other. Errors name the line.
import { RECORD_TYPES, type RecordInput, type RecordType } from "./records.ts";
import { type Line, type Token, tokenize } from "./tokens.ts";

export interface ParsedZone {
  records: RecordInput[];
  /** the line each record came from, by index */
  lines: number[];
  issues: { line: number; message: string }[];
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** "3600", "1h", "1h30m" → seconds; null when not a TTL */
export function ttlSeconds(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  const parts = text.toLowerCase().match(/[0-9]+[smhdw]/g);
  if (!parts || parts.join("") !== text.toLowerCase()) return null;
  return parts.reduce((sum, p) => sum + Number(p.slice(0, -1)) * (UNITS[p.at(-1) ?? "s"] ?? 1), 0);
}

/** The positions of names inside each type's rdata, made absolute against $ORIGIN. */
const NAME_AT: Partial<Record<RecordType, number>> = { CNAME: 0, NS: 0, PTR: 0, MX: 1, SRV: 3 };
const absoluteName = (name: string, origin: string) =>
  name === "@" ? origin : name.endsWith(".") ? name : `${name}.${origin}`;

function value(type: RecordType, data: Token[], origin: string): string {
  if (type === "TXT") return data.map((t) => t.text).join("");
  if (type === "CAA") return data.map((t, i) => (i === 2 ? `"${t.text}"` : t.text)).join(" ");
  const at = NAME_AT[type];
  return data.map((t, i) => (i === at ? absoluteName(t.text, origin) : t.text)).join(" ");
}

export function parseZoneFile(text: string, zone: string): ParsedZone {
  const out: ParsedZone = { records: [], lines: [], issues: [] };
  const tokens = tokenize(text);
  if ("error" in tokens) {
    out.issues.push({ line: tokens.line, message: tokens.error });
    return out;
  }
  let origin = `${zone}.`;
  let defaultTtl: number | undefined;
  let owner = origin;
  const fail = (line: Line, message: string) => out.issues.push({ line: line.line, message });
  for (const line of tokens.lines) {
    const words = line.tokens;
    const first = words[0]?.text ?? "";
    if (!line.inherit && !words[0]?.quoted && first.startsWith("$")) {
      const directive = first.toUpperCase();
      if (directive === "$ORIGIN" && words[1]) origin = absoluteName(words[1].text, origin);
      else if (directive === "$TTL" && words[1] && ttlSeconds(words[1].text) !== null)
        defaultTtl = ttlSeconds(words[1].text) ?? undefined;
      else fail(line, `${first} is not accepted in an imported zone (only $ORIGIN and $TTL)`);
      continue;
    }
    let rest = words;
    if (!line.inherit) {
      owner = absoluteName(first, origin);
      rest = words.slice(1);
    }
    let recordTtl = defaultTtl;
    const head = rest.slice(0, 2);
    for (const word of head) {
      if (word.quoted) break;
      const seconds = ttlSeconds(word.text);
      if (seconds !== null) recordTtl = seconds;
      else if (word.text.toUpperCase() !== "IN") break;
      rest = rest.slice(1);
    }
    const type = rest[0]?.text.toUpperCase() ?? "";
    if (type === "SOA") continue;
    if (!(RECORD_TYPES as readonly string[]).includes(type)) {
      fail(line, type ? `type ${type} is not supported` : "a record needs a type");
      continue;
    }
    out.records.push({
      name: owner,
      type: type as RecordType,
      ...(recordTtl === undefined ? {} : { ttl: recordTtl }),
      value: value(type as RecordType, rest.slice(1), origin),
    });
    out.lines.push(line.line);
  }
  return out;
}
