// TXT data: one logical text as the user typed it, stored as is, split into character-strings
// of at most 255 bytes (RFC 1035 3.3.14) only when rendered, each quoted with `"` and `\`
// escaped and every byte outside printable ASCII written as \DDD, so no value can end the
// string, start a comment or a new line, or read as a directive ($ORIGIN, $INCLUDE...).
import { parseCidr, parseIp } from "../net/address.ts";

export const TXT_MAX_BYTES = 4000;
const encoder = new TextEncoder();

/** The text's UTF-8 bytes in chunks of at most 255, never cutting a character in two. */
export function txtChunks(text: string): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let current: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (current.length + bytes.length > 255) {
      chunks.push(Uint8Array.from(current));
      current = [];
    }
    current.push(...bytes);
  }
  chunks.push(Uint8Array.from(current));
  return chunks;
}

/** One character-string in presentation format: quoted, escaped, ASCII only. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString().padStart(3, "0")}`;
  }
  return `${out}"`;
}

/** A TXT record's rdata as a zone file (and PowerDNS) writes it: "chunk" "chunk"... */
export const txtRdata = (text: string) => txtChunks(text).map(quoteBytes).join(" ");

const QUALIFIED = /^[+\-~?]?(.*)$/;
const DOMAIN_SPEC = /^[A-Za-z0-9._%{}+=-]+$/;

/** One SPF term's problem, or null (RFC 7208 section 4.6 and 5). */
function spfTermError(term: string): string | null {
  if (/^[a-z][a-z0-9_.-]*=/i.test(term)) {
    const [key = "", value = ""] = term.split(/=(.*)/s);
    if (["redirect", "exp"].includes(key.toLowerCase()) && !DOMAIN_SPEC.test(value))
      return `${key}= needs a domain`;
    return null;
  }
  const body = (QUALIFIED.exec(term)?.[1] ?? "").toLowerCase();
  const [mech = "", arg] = body.split(/[:/](.*)/s);
  const sep = body[mech.length];
  switch (mech) {
    case "all":
      return body === "all" ? null : "all takes no argument";
    case "include":
    case "exists":
      return sep === ":" && arg && DOMAIN_SPEC.test(arg) ? null : `${mech}: needs a domain`;
    case "a":
    case "mx":
    case "ptr":
      return arg === undefined || /^[A-Za-z0-9._%{}+=/-]+$/.test(arg) ? null : `bad ${mech} term`;
    case "ip4":
    case "ip6": {
      if (sep !== ":" || !arg) return `${mech}: needs an address`;
      const parsed = arg.includes("/") ? parseCidr(arg)?.[0] : parseIp(arg);
      return parsed && parsed.kind() === (mech === "ip4" ? "ipv4" : "ipv6")
        ? null
        : `${mech}:${arg} is not an ${mech === "ip4" ? "IPv4" : "IPv6"} address or range`;
    }
    default:
      return `unknown mechanism "${term}"`;
  }
}

/** null when a TXT text is not SPF or is valid SPF; else what is wrong with it. */
export function spfError(text: string): string | null {
  if (!/^v=spf1(\s|$)/i.test(text)) return null;
  const terms = text.split(/\s+/).slice(1).filter(Boolean);
  const allAt = terms.findIndex((t) => /^[+\-~?]?all$/i.test(t));
  if (allAt !== -1 && allAt !== terms.length - 1)
    return `SPF: nothing may follow "${terms[allAt]}"`;
  for (const term of terms) {
    const error = spfTermError(term);
    if (error) return `SPF: ${error}`;
  }
  return null;
}
