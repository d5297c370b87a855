// The records a mail domain should have (docs/mail.md#dkim-spf-and-dmarc): MX to its node's
// host name (when the node is reached by a name), SPF (`v=spf1 mx a ~all` or `-all`), each
// published DKIM key at `<selector>._domainkey`, DMARC (`p=none` by default, reports to a
// mailbox of the domain when one is named) at `_dmarc`: the domain's policy (dkim-repo.ts).

import { isIP } from "node:net";
import { dkimRecordText, dmarcText, type MailDnsRecord, spfText } from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { MailRecord } from "../dns/mail-records.ts";
import { findNode } from "../nodes/repo.ts";
import type { DnsPolicy } from "./dkim-repo.ts";

/** The node's host name, for MX (null when the node is reached by an address). */
async function mailHost(db: Kysely<Database>, nodeId: string) {
  const node = await findNode(db, nodeId);
  if (!node) return null;
  const host = new URL(node.agent_url).hostname.replace(/^\[|\]$/g, "");
  return isIP(host) || !host.includes(".") ? null : host;
}

export async function wantedRecords(
  db: Kysely<Database>,
  domain: { name: string; node_id: string },
  keys: { selector: string; publicKey: string }[],
  policy: DnsPolicy,
): Promise<MailRecord[]> {
  const host = await mailHost(db, domain.node_id);
  return [
    ...(host ? [{ name: "@", type: "MX" as const, value: `10 ${host}.` }] : []),
    { name: "@", type: "TXT", value: spfText(policy.spf_all) },
    ...keys
      .filter((k) => k.publicKey)
      .map((k) => ({
        name: `${k.selector}._domainkey`,
        type: "TXT" as const,
        value: dkimRecordText(k.publicKey),
      })),
    { name: "_dmarc", type: "TXT", value: dmarcText(policy.dmarc_policy, policy.dmarc_report) },
  ];
}

/**
 * The same as the API answers them: kind and fully qualified name; without an MX of its own
 * (the node is reached by an address), an MX with an empty value: any MX will do.
 */
export function describeRecords(domain: string, records: MailRecord[]): MailDnsRecord[] {
  const anyMx = records.some((r) => r.type === "MX")
    ? []
    : [{ kind: "mx" as const, fqdn: domain, type: "MX" as const, value: "" }];
  return [
    ...anyMx,
    ...records.map(
      (r): MailDnsRecord => ({
        kind:
          r.type === "MX"
            ? "mx"
            : r.name === "_dmarc"
              ? "dmarc"
              : r.name.endsWith("._domainkey")
                ? "dkim"
                : "spf",
        fqdn: r.name === "@" ? domain : `${r.name}.${domain}`,
        type: r.type,
        value: r.value,
      }),
    ),
  ];
}
