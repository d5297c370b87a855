// The checks that refuse a rule set closing SSH or the agent's port to the panel (issue 19):
// the panel runs them when the rules are saved, the agent again right before applying, with
// the address the panel's request came from. The rules are read as the agent renders them:
// blocked addresses first, then deny rules, then allow rules, everything else dropped; the
// loopback interface is always open.
import { type Address, classify, inCidr, parseCidr, parseIp } from "../net/address.ts";
import { type FirewallRule, type FirewallRules, rulePorts } from "./rules.ts";

export interface KeptPort {
  port: number;
  /** how the problem names it: "SSH (port 22)" */
  name: string;
}

const inRange = (a: Address, text: string) => {
  const range = parseCidr(text);
  return range !== null && inCidr(a, range);
};

const matchesPort = (r: FirewallRule, port: number) => {
  const ports = rulePorts(r);
  return (
    ports === "all" || ports.some((p) => p.protocol === "tcp" && p.from <= port && port <= p.to)
  );
};

/** Whether a tcp connection from `from` to `port` passes the rules. */
export function opensTo(rules: FirewallRules, from: Address, port: number): boolean {
  if (classify(from) === "loopback") return true;
  if (rules.blocked.some((b) => inRange(from, b))) return false;
  const applies = (r: FirewallRule) =>
    matchesPort(r, port) && (r.source === undefined || inRange(from, r.source));
  if (rules.rules.some((r) => r.action === "deny" && applies(r))) return false;
  return rules.rules.some((r) => r.action === "allow" && applies(r));
}

/** Whether some address may still connect to `port` (when the panel's address is unknown). */
function opensToSomeone(rules: FirewallRules, port: number): boolean {
  const everyone = (text: string | undefined) => text === undefined || /\/0$/.test(text);
  const closedForAll = rules.rules.some(
    (r) => r.action === "deny" && matchesPort(r, port) && everyone(r.source),
  );
  const blockedAll = rules.blocked.includes("0.0.0.0/0") && rules.blocked.includes("::/0");
  return (
    !closedForAll &&
    !blockedAll &&
    rules.rules.some((r) => r.action === "allow" && matchesPort(r, port))
  );
}

/**
 * Why these rules would lock the panel out (empty: they do not): a kept port closed to
 * everyone, or to one of the panel's addresses (when known: a panel on the node itself comes
 * through the loopback interface, always open).
 */
export function lockoutProblems(
  rules: FirewallRules,
  keep: KeptPort[],
  panel: readonly string[] | null,
): string[] {
  const problems: string[] = [];
  const addresses = (panel ?? []).map(parseIp).filter((a): a is Address => a !== null);
  for (const k of keep) {
    if (!opensToSomeone(rules, k.port)) {
      problems.push(`the rules close ${k.name}: allow it, or the panel loses the node`);
      continue;
    }
    for (const a of addresses)
      if (!opensTo(rules, a, k.port))
        problems.push(
          `the rules close ${k.name} to the panel's address ${a.toString()}: allow it from there`,
        );
  }
  return problems;
}
