// The default records of a new zone (POST /api/v1/dns/zones with `template`): its name
// servers; web: A/AAAA at @ and www to the given addresses (the node's); mail: mail.<zone>
// at the same addresses with an MX to it (only with an address: a mail server without one
// fails the zone's checks), SPF allowing the MX, DMARC, and a DKIM slot the mail capability
// fills (an empty key, "not in use", until then).
import type { DnsZoneTemplate } from "@steward/contracts";
import type { RecordInput } from "@steward/contracts/dns";

export const DKIM_SELECTOR = "default";

export function templateRecords(t: DnsZoneTemplate): RecordInput[] {
  const out: RecordInput[] = t.nameservers.map((ns) => ({ name: "@", type: "NS", value: ns }));
  const at = (name: string): RecordInput[] => [
    ...(t.ipv4 ? [{ name, type: "A" as const, value: t.ipv4 }] : []),
    ...(t.ipv6 ? [{ name, type: "AAAA" as const, value: t.ipv6 }] : []),
  ];
  out.push(...at("@"), ...at("www"));
  if (!t.mail) return out;
  const hasAddress = Boolean(t.ipv4 || t.ipv6);
  if (hasAddress) out.push(...at("mail"), { name: "@", type: "MX", value: "10 mail" });
  out.push(
    { name: "@", type: "TXT", value: hasAddress ? "v=spf1 mx -all" : "v=spf1 -all" },
    {
      name: "_dmarc",
      type: "TXT",
      value: `v=DMARC1; p=quarantine${t.dmarcReport ? `; rua=mailto:${t.dmarcReport}` : ""}`,
    },
    { name: `${DKIM_SELECTOR}._domainkey`, type: "TXT", value: "v=DKIM1; k=rsa; p=" },
  );
  return out;
}
