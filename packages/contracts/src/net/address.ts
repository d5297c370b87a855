// IP addresses and CIDR ranges for the outbound-target policy, parsed strictly with ipaddr.js:
// an IPv4 address only as four decimal numbers without leading zeros (never 2130706433,
// 0x7f.1, 0177.0.0.1 or 127.1, which C resolvers read as 127.0.0.1), an IPv6 address without
// a zone, and an IPv4-mapped IPv6 address (::ffff:7f00:1) as the IPv4 address it maps.
import ipaddr from "ipaddr.js";
import { z } from "zod";

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** What kind of address it is, as the policy decides on it. */
export type AddressClass =
  | "public"
  | "private"
  | "loopback"
  | "link-local"
  | "reserved"
  | "unspecified"
  | "multicast"
  | "broadcast";

/** An IP literal (brackets allowed around IPv6), or null when it is not one in canonical form. */
export function parseIp(text: string): Address | null {
  const s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (!s.includes(":") || s.includes("%") || !ipaddr.IPv6.isValid(s)) return null;
  const a = ipaddr.IPv6.parse(s);
  return a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
}

/** The canonical text of an address: dotted quad, or RFC 5952 IPv6. */
export const ipText = (a: Address): string =>
  a.kind() === "ipv6" ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();

const V4: Partial<Record<string, AddressClass>> = {
  unicast: "public",
  private: "private",
  carrierGradeNat: "private",
  loopback: "loopback",
  linkLocal: "link-local",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
};
const V6: Partial<Record<string, AddressClass>> = {
  unicast: "public",
  uniqueLocal: "private",
  loopback: "loopback",
  linkLocal: "link-local",
  unspecified: "unspecified",
  multicast: "multicast",
};

/**
 * The class of an address. Anything ipaddr.js knows as special and not listed above
 * (documentation and benchmarking ranges, 240/4, 6to4, Teredo, NAT64, site-local...) is
 * "reserved", and so is the deprecated IPv4-compatible ::/96 (::7f00:1).
 */
export function classify(a: Address): AddressClass {
  if (a.kind() === "ipv4") return V4[a.range()] ?? "reserved";
  const v6 = a as ipaddr.IPv6;
  const range = v6.range();
  if (range === "unicast" && v6.parts.slice(0, 6).every((p) => p === 0)) return "reserved";
  return V6[range] ?? "reserved";
}

/** A parsed CIDR range; an IPv4-mapped IPv6 range is the IPv4 range it maps. */
export function parseCidr(text: string): [Address, number] | null {
  const [addr = "", bits = "", extra] = text.split("/");
  const a = parseIp(addr);
  if (!a || extra !== undefined) return null;
  const max = a.kind() === "ipv4" ? 32 : 128;
  if (bits === "") return [a, max];
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bits)) return null;
  let n = Number(bits);
  // ::ffff:a.b.c.d/n was turned into the IPv4 address: its prefix counts from bit 96
  if (a.kind() === "ipv4" && addr.includes(":")) n -= 96;
  if (n < 0 || n > max) return null;
  return [a, n];
}

export function inCidr(a: Address, range: [Address, number]): boolean {
  return a.kind() === range[0].kind() && a.match(range[0], range[1]);
}

/** A CIDR range (a bare address is /32 or /128), written back canonically: 10.0.0.0/8. */
export const cidr = z
  .string()
  .max(60, "must be at most 60 characters")
  .transform((s, ctx) => {
    const r = parseCidr(s.trim());
    if (!r) {
      ctx.addIssue({
        code: "custom",
        message: "must be an address or a CIDR range like 10.0.0.0/8 or fd00::/8",
      });
      return z.NEVER;
    }
    return `${ipText(r[0])}/${r[1]}`;
  });
