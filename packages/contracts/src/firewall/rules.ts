// A node's firewall (issue 19, docs/firewall.md): what the panel stores, the agent renders into
// its own nftables table, and the console edits. Every value is checked here, on both sides of
// the wire: services by name (each a fixed list of ports), ports and port ranges 1-65535,
// tcp/udp, CIDR ranges (IPv4/IPv6, written back canonically), an SSH rate limit per minute
// and source address. Nothing free-form reaches the ruleset: no comments, no names.

import ipaddr from "ipaddr.js";
import { z } from "zod";
import { cidr, inCidr, ipText, parseCidr } from "../net/address.ts";
import { noControl } from "../validators.ts";

/** A CIDR range as nft reads it: the network's address (10.1.2.3/8 is 10.0.0.0/8). */
export const firewallCidr = z
  .string()
  .refine((s) => s.trim() === s && noControl(s), "must be an address or a CIDR range alone")
  .pipe(cidr)
  .transform((s) => {
    const [addr = "", bits = ""] = s.split("/");
    const a = ipaddr.parse(addr);
    const net = (a.kind() === "ipv4" ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(s);
    return bits === (a.kind() === "ipv4" ? "32" : "128") ? ipText(a) : `${ipText(net)}/${bits}`;
  });

export type Protocol = "tcp" | "udp";

/** Services by name: the ports each opens (or closes). */
export const FIREWALL_SERVICES = {
  ssh: [{ protocol: "tcp", from: 22, to: 22 }],
  http: [{ protocol: "tcp", from: 80, to: 80 }],
  https: [
    { protocol: "tcp", from: 443, to: 443 },
    { protocol: "udp", from: 443, to: 443 },
  ],
  dns: [
    { protocol: "tcp", from: 53, to: 53 },
    { protocol: "udp", from: 53, to: 53 },
  ],
  smtp: [{ protocol: "tcp", from: 25, to: 25 }],
  submission: [
    { protocol: "tcp", from: 465, to: 465 },
    { protocol: "tcp", from: 587, to: 587 },
  ],
  imap: [
    { protocol: "tcp", from: 143, to: 143 },
    { protocol: "tcp", from: 993, to: 993 },
  ],
  pop3: [
    { protocol: "tcp", from: 110, to: 110 },
    { protocol: "tcp", from: 995, to: 995 },
  ],
  ftp: [{ protocol: "tcp", from: 21, to: 21 }],
  mysql: [{ protocol: "tcp", from: 3306, to: 3306 }],
  postgresql: [{ protocol: "tcp", from: 5432, to: 5432 }],
} as const satisfies Record<string, readonly PortRange[]>;
export type FirewallService = keyof typeof FIREWALL_SERVICES;
export const firewallService = z.enum(
  Object.keys(FIREWALL_SERVICES) as [FirewallService, ...FirewallService[]],
  { error: `must be one of ${Object.keys(FIREWALL_SERVICES).join(", ")}` },
);

export interface PortRange {
  protocol: Protocol;
  from: number;
  to: number;
}

const portRangePattern = /^([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?$/;

/** "22" or "8000-8100": ports 1-65535, the first not above the last. */
export const portSpec = z
  .string()
  .max(11, "must be a port (22) or a range (8000-8100)")
  .superRefine((s, ctx) => {
    const m = portRangePattern.exec(s);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || from > 65535 || to > 65535)
      ctx.addIssue({
        code: "custom",
        message: "must be a port between 1 and 65535 (22) or a range of them (8000-8100)",
      });
    else if (from > to)
      ctx.addIssue({ code: "custom", message: "the range must not run backwards" });
  });

export const firewallRule = z
  .strictObject({
    action: z.enum(["allow", "deny"], { error: "must be allow or deny" }),
    /** a service by name, or `ports` with `protocol`; neither: every port */
    service: firewallService.optional(),
    ports: portSpec.optional(),
    protocol: z.enum(["tcp", "udp"], { error: "must be tcp or udp" }).default("tcp"),
    /** where the traffic comes from; anywhere when absent */
    source: firewallCidr.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.service && r.ports)
      ctx.addIssue({
        code: "custom",
        path: ["ports"],
        message: "give a service or ports, not both",
      });
    if (!r.service && !r.ports && !r.source)
      ctx.addIssue({
        code: "custom",
        path: ["ports"],
        message: "a rule names a service, ports or a source (it would match everything)",
      });
  });
export type FirewallRule = z.output<typeof firewallRule>;
export type FirewallRuleInput = z.input<typeof firewallRule>;

export const MAX_RULES = 200;
export const MAX_BLOCKED = 1000;

const count = (min: number, max: number, what: string) =>
  z
    .number({ error: `must be a number of ${what}` })
    .int("must be an integer")
    .min(min, `must be between ${min} and ${max} ${what}`)
    .max(max, `must be between ${min} and ${max} ${what}`);

/** fail2ban-style: failed SSH logins in the node's auth log ban their address for a while. */
export const sshBans = z.strictObject({
  /** failures from one address within findSeconds that ban it */
  maxFailures: count(1, 100, "failures").default(5),
  findSeconds: count(10, 86_400, "seconds").default(600),
  banSeconds: count(60, 604_800, "seconds").default(3600),
});
export type SshBans = z.output<typeof sshBans>;

export const firewallRules = z.strictObject({
  /** allow rules open ports; deny rules (checked first) close them for a source */
  rules: z.array(firewallRule).max(MAX_RULES, `at most ${MAX_RULES} rules`).default([]),
  /** addresses refused on every port before any rule ("unblock" takes one out) */
  blocked: z
    .array(firewallCidr)
    .max(MAX_BLOCKED, `at most ${MAX_BLOCKED} blocked addresses`)
    .default([])
    .transform((list) => [...new Set(list)])
    .superRefine((list, ctx) => {
      const overlap = overlapping(list);
      if (overlap)
        ctx.addIssue({
          code: "custom",
          message: `${overlap[1]} overlaps ${overlap[0]}: block the wider range alone`,
        });
    }),
  /** new SSH connections per minute from one address; none: no limit */
  sshRateLimit: z
    .number({ error: "must be a number of connections per minute" })
    .int("must be an integer")
    .min(1, "must be between 1 and 1000 per minute")
    .max(1000, "must be between 1 and 1000 per minute")
    .nullable()
    .default(null),
  /** bans from the node's auth log; none: no bans */
  sshBans: sshBans.nullable().default(null),
});
export type FirewallRules = z.output<typeof firewallRules>;
export type FirewallRulesInput = z.input<typeof firewallRules>;

/** How long a new rule set waits for the panel's confirmation before the agent reverts it. */
export const confirmSeconds = z
  .number({ error: "must be a number of seconds" })
  .int("must be an integer")
  .min(5, "must be between 5 and 600 seconds")
  .max(600, "must be between 5 and 600 seconds");

/** The ports a rule names (a service's, its range, or every port). */
export function rulePorts(r: FirewallRule): PortRange[] | "all" {
  if (r.service) return [...FIREWALL_SERVICES[r.service]];
  if (!r.ports) return "all";
  const [from, to = from] = r.ports.split("-").map(Number) as [number, number?];
  return [{ protocol: r.protocol, from, to }];
}

/** Two ranges of the list that overlap (nft refuses them in one interval set), or null. */
function overlapping(list: readonly string[]): [string, string] | null {
  const parsed = list.map((t) => [t, parseCidr(t)] as const);
  for (const [i, [a, ra]] of parsed.entries())
    for (const [b, rb] of parsed.slice(i + 1)) {
      if (!ra || !rb) continue;
      const [wide, narrow] = ra[1] <= rb[1] ? [ra, rb] : [rb, ra];
      if (inCidr(narrow[0], wide)) return ra[1] <= rb[1] ? [a, b] : [b, a];
    }
  return null;
}
