// Rendering a zone as an RFC 1035 master file: $ORIGIN, $TTL, the SOA, then one record a
// line, names relative to the origin. Names are checked to an alphabet without syntax
// (names.ts) and TXT data is quoted and escaped (txt.ts), so no record can add a line or a
// directive. lines[i] is the record index a line holds, so a checker's "file:LINE: message"
// is mapped back to its record.
import { fqdnOf } from "./names.ts";
import { type DnsRecord, rdata } from "./records.ts";

export interface Soa {
  /** the primary name server, absolute with a trailing dot */
  primary: string;
  /** the responsible mailbox as a name (hostmaster.example.com.) */
  hostmaster: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface ZoneText {
  text: string;
  /** 1-based line number → record index (lines that are not records are absent) */
  recordAt: Map<number, number>;
}

/** The SOA a zone gets: its first NS at the apex as primary, hostmaster@ the zone. */
export function defaultSoa(
  zone: string,
  records: DnsRecord[],
  serial: number,
  timers: Omit<Soa, "primary" | "hostmaster" | "serial">,
): Soa {
  const ns = records.find((r) => r.name === "@" && r.type === "NS")?.value ?? `ns1.${zone}.`;
  return { primary: ns, hostmaster: `hostmaster.${zone}.`, serial, ...timers };
}

export const soaRdata = (s: Soa) =>
  `${s.primary} ${s.hostmaster} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;

export function renderZone(zone: string, soa: Soa, records: DnsRecord[]): ZoneText {
  const lines = [
    `; ${zone}: written by Steward; changes here are overwritten`,
    `$ORIGIN ${fqdnOf("@", zone)}`,
    `$TTL ${soa.minimum}`,
    `@ ${soa.minimum} IN SOA ${soaRdata(soa)}`,
  ];
  const recordAt = new Map<number, number>();
  records.forEach((r, i) => {
    lines.push(`${r.name} ${r.ttl} IN ${r.type} ${rdata(r)}`);
    recordAt.set(lines.length, i);
  });
  return { text: `${lines.join("\n")}\n`, recordAt };
}
