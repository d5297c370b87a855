// Names inside a zone: what a record's owner and a target may be, relative or absolute, in
// ASCII (an internationalised name becomes its xn-- form, or a clear error). Labels are
// letters, digits, dashes and underscores (_dmarc, _acme-challenge, _sip._tcp); `*` only as a
// whole leftmost label. Nothing a zone file could read as syntax ($, ;, quotes, spaces,
// parentheses, backslashes, control characters) passes, so a name never needs escaping.
import { domainToAscii, noControl } from "../validators.ts";

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const nameMessage =
  "must be a name in the zone: @, a label like www, or a name like www.example.com. (letters, digits, -, _ and a leading *.)";

/** ASCII of a name as typed: lowercased, each non-ASCII label to its xn-- form. */
export function nameToAscii(input: string): { ascii: string } | { error: string } {
  if (!noControl(input) || /[\s"';()\\$]/.test(input)) return { error: nameMessage };
  // domainToAscii wants two labels; a single relative label is checked the same way
  const probe = input.includes(".") ? input : `${input}.invalid`;
  const r = domainToAscii(probe.endsWith(".") ? probe.slice(0, -1) : probe);
  if ("error" in r) return r;
  const ascii = input.includes(".") ? r.ascii : r.ascii.slice(0, -".invalid".length);
  return { ascii: input.endsWith(".") ? `${ascii}.` : ascii };
}

/** Labels are well formed: the wildcard only leftmost, underscores allowed unless host. */
export function validLabels(labels: string[], opts: { wildcard: boolean; host: boolean }) {
  return labels.every((label, i) => {
    if (label === "*") return opts.wildcard && i === 0;
    return (opts.host ? HOST_LABEL : LABEL).test(label);
  });
}

/**
 * A record's owner name relative to the zone ("@" for the apex), or an error. Absolute names
 * end with a dot; a name equal to the zone or ending in "." + zone is taken as written out
 * in full too (as most panels do), anything else is relative to the zone.
 */
export function ownerName(input: string, zone: string): { name: string } | { error: string } {
  const typed = input.trim();
  if (typed === "" || typed === "@") return { name: "@" };
  const r = nameToAscii(typed);
  if ("error" in r) return r;
  const fqdn = absolute(r.ascii, zone);
  if (fqdn === null) return { error: `must be inside the zone ${zone}` };
  if (fqdn.length > 254) return { error: "must be at most 253 characters written out in full" };
  const rel = fqdn === `${zone}.` ? "@" : fqdn.slice(0, -(zone.length + 2));
  if (rel !== "@" && !validLabels(rel.split("."), { wildcard: true, host: false }))
    return { error: nameMessage };
  return { name: rel };
}

/** name → absolute with a trailing dot, or null when an absolute name is outside the zone. */
function absolute(ascii: string, zone: string): string | null {
  const full = ascii.endsWith(".")
    ? ascii
    : ascii === zone || ascii.endsWith(`.${zone}`)
      ? `${ascii}.`
      : `${ascii}.${zone}.`;
  return full === `${zone}.` || full.endsWith(`.${zone}.`) ? full : null;
}

/** "@" or a relative name → the absolute name with a trailing dot. */
export const fqdnOf = (name: string, zone: string) =>
  name === "@" ? `${zone}.` : `${name}.${zone}.`;

/**
 * A target (CNAME, NS, MX, SRV, PTR) → its absolute name with a trailing dot. A name without
 * a trailing dot is relative to the zone unless written out in full (as for owners); a host
 * target (MX, NS, SRV) has no underscores or wildcard.
 */
export function targetName(
  input: string,
  zone: string,
  host: boolean,
): { fqdn: string } | { error: string } {
  const typed = input.trim();
  if (typed === "@") return { fqdn: `${zone}.` };
  if (/^[0-9.]+$/.test(typed) || typed.includes(":"))
    return { error: "must be a host name, not an IP address" };
  const r = nameToAscii(typed);
  if ("error" in r) return r;
  const fqdn = r.ascii.endsWith(".")
    ? r.ascii
    : r.ascii === zone || r.ascii.endsWith(`.${zone}`)
      ? `${r.ascii}.`
      : `${r.ascii}.${zone}.`;
  const labels = fqdn.slice(0, -1).split(".");
  if (fqdn.length > 254 || !validLabels(labels, { wildcard: false, host }))
    return {
      error: host
        ? "must be a host name (letters, digits and dashes in each label)"
        : "must be a name (letters, digits, dashes and underscores in each label)",
    };
  return { fqdn };
}
