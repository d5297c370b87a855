import { describe, expect, it } from "vitest";
import { parseIp } from "../net/address.ts";
import { firewallPut } from "./api.ts";
import { lockoutProblems, opensTo } from "./lockout.ts";
import { type FirewallRulesInput, firewallRule, firewallRules, portSpec } from "./rules.ts";

const rules = (r: FirewallRulesInput) => firewallRules.parse(r);
const keep = [
  { port: 22, name: "SSH (port 22)" },
  { port: 7443, name: "the agent's port 7443" },
];
const ip = (s: string) => {
  const a = parseIp(s);
  if (!a) throw new Error(s);
  return a;
};

describe("firewall rule validators", () => {
  it("takes ports, ranges, services and CIDRs, canonically", () => {
    expect(portSpec.safeParse("22").success).toBe(true);
    expect(portSpec.safeParse("8000-8100").success).toBe(true);
    expect(portSpec.safeParse("65535").success).toBe(true);
    const r = firewallRule.parse({ action: "allow", ports: "80", source: "10.1.2.3/8" });
    expect(r).toEqual({ action: "allow", ports: "80", protocol: "tcp", source: "10.0.0.0/8" });
    expect(firewallRule.parse({ action: "deny", source: "2001:DB8::1" }).source).toBe(
      "2001:db8::1",
    );
    expect(firewallRule.parse({ action: "allow", service: "https" }).service).toBe("https");
  });

  it.each([
    "0",
    "65536",
    "-1",
    "22;",
    "22 ",
    "80-79",
    "1-2-3",
    "022",
    "80,443",
    "9".repeat(200),
    "22\n",
  ])("refuses the port %j", (p) => {
    expect(portSpec.safeParse(p).success).toBe(false);
  });

  it.each([
    "1.2.3.4/33",
    "1.2.3",
    "::1/129",
    "1.2.3.4; drop",
    "1.2.3.4\u0000",
    "1.2.3.4\n",
    " 1.2.3.4",
    "fe80::1%eth0",
    "0x7f.1",
    `${"1".repeat(200)}`,
  ])("refuses the source %j", (source) => {
    expect(firewallRule.safeParse({ action: "allow", ports: "22", source }).success).toBe(false);
  });

  it("refuses unknown services, protocols, fields and rules matching everything", () => {
    expect(firewallRule.safeParse({ action: "allow", service: "ssh;" }).success).toBe(false);
    expect(firewallRule.safeParse({ action: "allow", ports: "22", protocol: "icmp" }).success).toBe(
      false,
    );
    expect(firewallRule.safeParse({ action: "allow", ports: "22", comment: "x" }).success).toBe(
      false,
    );
    expect(firewallRule.safeParse({ action: "allow" }).success).toBe(false);
    expect(firewallRule.safeParse({ action: "allow", service: "ssh", ports: "22" }).success).toBe(
      false,
    );
    expect(firewallRules.safeParse({ sshRateLimit: 0 }).success).toBe(false);
    expect(firewallRules.safeParse({ sshRateLimit: 1001 }).success).toBe(false);
    expect(firewallPut.safeParse({ confirmSeconds: 4 }).success).toBe(false);
    const overlap = firewallRules.safeParse({ blocked: ["10.0.0.0/8", "10.1.0.0/16"] });
    expect(overlap.error?.issues[0]?.message).toBe(
      "10.1.0.0/16 overlaps 10.0.0.0/8: block the wider range alone",
    );
    expect(firewallRules.parse({ blocked: ["10.0.0.1", "10.0.0.1/32"] }).blocked).toEqual([
      "10.0.0.1",
    ]);
  });
});

describe("lockout checks", () => {
  const open = rules({
    rules: [
      { action: "allow", service: "ssh" },
      { action: "allow", ports: "7000-8000", source: "192.0.2.0/24" },
    ],
  });

  it("passes rules that keep SSH and the agent's port open to the panel", () => {
    expect(lockoutProblems(open, keep, ["192.0.2.10"])).toEqual([]);
    expect(lockoutProblems(open, keep, null)).toEqual([]);
  });

  it("refuses rules closing SSH or the agent's port to the panel", () => {
    expect(lockoutProblems(open, keep, ["198.51.100.7"])).toEqual([
      "the rules close the agent's port 7443 to the panel's address 198.51.100.7: allow it from there",
    ]);
    const noSsh = rules({ rules: [{ action: "allow", ports: "7443" }] });
    expect(lockoutProblems(noSsh, keep, null)).toEqual([
      "the rules close SSH (port 22): allow it, or the panel loses the node",
    ]);
    const denied = rules({
      rules: [
        { action: "allow", service: "ssh" },
        { action: "allow", ports: "7443" },
        { action: "deny", source: "192.0.2.0/24" },
      ],
    });
    expect(lockoutProblems(denied, keep, ["192.0.2.10"])).toHaveLength(2);
    const blocked = rules({ ...open, blocked: ["192.0.2.10"] });
    expect(lockoutProblems(blocked, keep, ["192.0.2.10"])).toHaveLength(2);
    const everyone = rules({ ...open, rules: [...open.rules, { action: "deny", ports: "22" }] });
    expect(lockoutProblems(everyone, keep, null)).toHaveLength(1);
  });

  it("reads udp rules as not opening tcp, and loopback as always open", () => {
    const udp = rules({ rules: [{ action: "allow", ports: "22", protocol: "udp" }] });
    expect(opensTo(udp, ip("192.0.2.1"), 22)).toBe(false);
    expect(opensTo(udp, ip("127.0.0.1"), 22)).toBe(true);
    expect(opensTo(udp, ip("::1"), 22)).toBe(true);
  });
});
