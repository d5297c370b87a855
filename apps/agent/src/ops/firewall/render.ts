// Renders the node's firewall rules into Steward's own nftables table (docs/firewall.md). The
// file replaces that table alone, atomically (`add table` + `delete table` + the table, one
// `nft -f` transaction): other tables (Docker's, the distribution's) stay as they are.
// Every value is a validated number, a canonical address or a fixed word; the renderer checks
// addresses again (the agent's second wall) rather than trusting its input.
import {
  type FirewallRule,
  type FirewallRules,
  type PortRange,
  rulePorts,
} from "@steward/contracts/firewall";
import { ipText, parseCidr } from "@steward/contracts/net";
import { OpFailure } from "../types.ts";

export const FAMILY = "inet";
export const TABLE = "steward";
/** what a revert to "no table" applies, and the head of every table file */
export const REPLACE_HEAD = `add table ${FAMILY} ${TABLE}\ndelete table ${FAMILY} ${TABLE}\n`;

/** "ip saddr 10.0.0.0/8" or "ip6 saddr 2001:db8::/32", from a re-checked canonical range. */
export function sourceMatch(text: string): { family: "ip" | "ip6"; match: string } {
  const range = parseCidr(text);
  if (!range)
    throw new OpFailure("OP_INPUT_INVALID", `not an address or range: ${text.slice(0, 60)}`);
  const [a, bits] = range;
  const family = a.kind() === "ipv4" ? "ip" : "ip6";
  const full = bits === (family === "ip" ? 32 : 128);
  return { family, match: `${family} saddr ${ipText(a)}${full ? "" : `/${bits}`}` };
}

const portText = (p: PortRange) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`);

/** One rule as nft lines: one per protocol it names. */
export function ruleLines(r: FirewallRule): string[] {
  const verdict = r.action === "allow" ? "accept" : "drop";
  const source = r.source ? `${sourceMatch(r.source).match} ` : "";
  const ports = rulePorts(r);
  if (ports === "all") return [`${source}${verdict}`];
  const lines: string[] = [];
  for (const protocol of ["tcp", "udp"] as const) {
    const mine = ports.filter((p) => p.protocol === protocol).map(portText);
    if (mine.length === 0) continue;
    const set = mine.length === 1 ? mine[0] : `{ ${mine.join(", ")} }`;
    lines.push(`${source}${protocol} dport ${set} ${verdict}`);
  }
  return lines;
}

function blockedSet(name: string, type: string, members: string[]) {
  const elements = members.length ? `\n\t\telements = { ${members.join(", ")} }` : "";
  return `\tset ${name} {\n\t\ttype ${type}\n\t\tflags interval${elements}\n\t}\n`;
}

function banSet(name: string, type: string) {
  return `\tset ${name} {\n\t\ttype ${type}\n\t\tflags timeout\n\t}\n`;
}

function meterSet(name: string, type: string) {
  return `\tset ${name} {\n\t\ttype ${type}\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 1m\n\t}\n`;
}

/** The whole file: replaces `table inet steward` with these rules, nothing else. */
export function renderTable(rules: FirewallRules): string {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const b of rules.blocked) {
    const { family, match } = sourceMatch(b);
    (family === "ip" ? v4 : v6).push(match.slice(`${family} saddr `.length));
  }
  const deny = rules.rules.filter((r) => r.action === "deny").flatMap(ruleLines);
  const allow = rules.rules.filter((r) => r.action === "allow").flatMap(ruleLines);
  const limit = rules.sshRateLimit;
  const ssh =
    limit === null
      ? []
      : [
          `tcp dport 22 ct state new add @ssh_v4 { ip saddr limit rate over ${limit}/minute } drop`,
          `tcp dport 22 ct state new add @ssh_v6 { ip6 saddr limit rate over ${limit}/minute } drop`,
        ];
  const chain = [
    "type filter hook input priority filter; policy drop;",
    // the blocked come first: an unblock is the only way back, open connections included
    "ip saddr @blocked_v4 drop",
    "ip6 saddr @blocked_v6 drop",
    // failed SSH logins (bans.ts): each element expires by itself
    "ip saddr @banned_v4 drop",
    "ip6 saddr @banned_v6 drop",
    "ct state established,related accept",
    "ct state invalid drop",
    'iif "lo" accept',
    // neighbour discovery and path MTU need ICMP
    "meta l4proto { icmp, ipv6-icmp } accept",
    ...deny,
    ...ssh,
    ...allow,
  ];
  return (
    `${REPLACE_HEAD}table ${FAMILY} ${TABLE} {\n` +
    blockedSet("blocked_v4", "ipv4_addr", v4) +
    blockedSet("blocked_v6", "ipv6_addr", v6) +
    banSet("banned_v4", "ipv4_addr") +
    banSet("banned_v6", "ipv6_addr") +
    meterSet("ssh_v4", "ipv4_addr") +
    meterSet("ssh_v6", "ipv6_addr") +
    `\tchain input {\n${chain.map((l) => `\t\t${l}\n`).join("")}\t}\n}\n`
  );
}
