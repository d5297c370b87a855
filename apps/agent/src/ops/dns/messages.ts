// A DNS server's complaint about a zone mapped back to the records it is about, so the panel
// can show it at the record: by the zone file's line (named-checkzone's "file:LINE:"), by a
// name and type (PowerDNS's "RRset www.example.com. IN CNAME: ..."), or by an owner or a
// target named in the message (named-checkzone's "www.example.com: CNAME and other data",
// "NS 'ns1.example.com' has no address records").
import { type DnsRecord, fqdnOf } from "@steward/contracts/dns";

export interface Located {
  /** record indexes the message is about (empty: the zone as a whole) */
  records: number[];
  message: string;
}

const describe = (records: DnsRecord[], index: number) => {
  const r = records[index];
  return r ? `record ${index} (${r.name} ${r.type} ${r.value})` : `record ${index}`;
};

export function locate(
  message: string,
  zone: string,
  records: DnsRecord[],
  recordAt?: Map<number, number>,
): Located {
  const line = /:(\d+): /.exec(message)?.[1];
  const byLine = line ? recordAt?.get(Number(line)) : undefined;
  if (byLine !== undefined) return { records: [byLine], message };
  const rrset = /RRset (\S+) IN (\S+):/.exec(message);
  if (rrset) {
    const hits = records.flatMap((r, i) =>
      fqdnOf(r.name, zone) === rrset[1] && r.type === rrset[2] ? [i] : [],
    );
    return { records: hits, message };
  }
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (quoted) {
    const target = `${quoted.replace(/\.$/, "")}.`;
    const hits = records.flatMap((r, i) => (r.value.split(" ").at(-1) === target ? [i] : []));
    if (hits.length) return { records: hits, message };
  }
  const owner = /: ([A-Za-z0-9_*.-]+): /.exec(message)?.[1];
  if (owner) {
    const fqdn = `${owner.replace(/\.$/, "")}.`;
    const hits = records.flatMap((r, i) => (fqdnOf(r.name, zone) === fqdn ? [i] : []));
    if (hits.length) return { records: hits, message };
  }
  return { records: [], message };
}

/** "record 3 (www CNAME x.): message" lines for a failure the panel shows as is. */
export function explain(located: Located[], records: DnsRecord[]): string {
  return located
    .map((l) =>
      l.records.length
        ? `${l.records.map((i) => describe(records, i)).join(", ")}: ${l.message}`
        : l.message,
    )
    .join("; ");
}
