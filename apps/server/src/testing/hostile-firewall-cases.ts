// The hostile values of hostile-input.test.ts for node firewalls (issue 19): ports 0, 65536,
// ranges backwards, `22;`; CIDRs 1.2.3.4/33, with `;`, NUL, newlines, zones, 200+
// characters; services and protocols that are not ours (`ssh;`, icmp); rate limits and
// confirmation windows out of range; and rule sets that would close SSH or the agent's port
// (`node` is trusted, its agent on port 7443). None reaches the node or changes a row.
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const BAD_PORTS = [
  "0",
  "65536",
  "-1",
  "22;",
  "22 ",
  "80-79",
  "1-2-3",
  "022",
  "80,443",
  "http",
  22,
  null,
  LONG,
];
const BAD_CIDRS = [
  "1.2.3.4/33",
  "1.2.3",
  "::1/129",
  "1.2.3.4; drop",
  "1.2.3.4/8 accept",
  "1.2.3.4\n",
  "fe80::1%eth0",
  "0x7f.1",
  "../1.2.3.4",
  `${"1".repeat(200)}`,
  ...SQL,
  ...CONTROL,
  5,
];

const ssh = { action: "allow", service: "ssh" };
const agentPort = { action: "allow", ports: "7443" };

/** One rule of a valid set replaced by `rule`, the field its problem names. */
const ruleCase = (path: string, rule: Record<string, unknown>, field: string): Case => [
  "PUT",
  path,
  { rules: [ssh, agentPort, rule] },
  400,
  V,
  `body.rules.2.${field}`,
];

export function firewallCases(node: string): Case[] {
  const path = `/api/v1/nodes/${node}/firewall`;
  const valid = { rules: [ssh, agentPort], blocked: [], sshRateLimit: 10 };
  const http = { action: "allow", service: "http" };
  return [
    ...bodyCases("PUT", path, valid),
    ...BAD_PORTS.map((ports) => ruleCase(path, { action: "allow", ports }, "ports")),
    ...BAD_CIDRS.map((source) => ruleCase(path, { ...http, source }, "source")),
    ...["ssh;", "SSH", "../ssh", "", ...SQL, null].map((service) =>
      ruleCase(path, { action: "allow", service }, "service"),
    ),
    ruleCase(path, { action: "allow", ports: "80", protocol: "icmp" }, "protocol"),
    ruleCase(path, { action: "accept", ports: "80" }, "action"),
    ruleCase(path, { action: "allow", ports: "80", comment: "x" }, "comment"),
    ruleCase(path, { action: "allow", service: "ssh", ports: "22" }, "ports"),
    ruleCase(path, { action: "deny" }, "ports"),
    ...BAD_CIDRS.map(
      (b): Case => ["PUT", path, { ...valid, blocked: [b] }, 400, V, "body.blocked.0"],
    ),
    ["PUT", path, { ...valid, blocked: ["10.0.0.0/8", "10.1.0.0/16"] }, 400, V, "body.blocked"],
    ...fieldCases("PUT", path, valid, "sshRateLimit", [0, 1001, 1.5, "10", -1]),
    ...fieldCases("PUT", path, valid, "sshBans", ["on", 5, []]),
    ...(
      [
        ["maxFailures", [0, 101, 1.5, "5"]],
        ["findSeconds", [9, 86_401, "60"]],
        ["banSeconds", [59, 604_801, null]],
      ] as const
    ).flatMap(([key, values]) =>
      values.map(
        (value): Case => [
          "PUT",
          path,
          { ...valid, sshBans: { [key]: value } },
          400,
          V,
          `body.sshBans.${key}`,
        ],
      ),
    ),
    ["PUT", path, { ...valid, sshBans: { log: "/etc/shadow" } }, 400, V, "body.sshBans.log"],
    ...fieldCases("PUT", path, valid, "confirmSeconds", [0, 4, 601, "60", 1.5]),
    ...fieldCases("PUT", path, valid, "autoConfirm", ["yes", 1, null]),
    ...fieldCases("PUT", path, valid, "rules", [
      "allow all",
      Array.from({ length: 201 }, () => ssh),
    ]),
    // rule sets that would close SSH or the agent's port
    ["PUT", path, { rules: [agentPort] }, 400, V, "rules", "the rules close SSH (port 22)"],
    ["PUT", path, { rules: [ssh] }, 400, V, "rules", "the rules close the agent's port 7443"],
    [
      "PUT",
      path,
      { rules: [ssh, agentPort, { action: "deny", ports: "22" }] },
      400,
      V,
      "rules",
      "the rules close SSH (port 22)",
    ],
    [
      "PUT",
      path,
      { rules: [ssh, agentPort], blocked: ["0.0.0.0/0", "::/0"] },
      400,
      V,
      "rules",
      "the rules close SSH (port 22)",
    ],
    ...bodyCases("POST", `${path}/unblock`, { address: "192.0.2.1" }),
    ...fieldCases("POST", `${path}/unblock`, { address: "192.0.2.1" }, "address", BAD_CIDRS),
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `/api/v1/nodes/${id}/firewall`, undefined, 400, V, "params.id"],
      ["PUT", `/api/v1/nodes/${id}/firewall`, valid, 400, V, "params.id"],
      ["POST", `/api/v1/nodes/${id}/firewall/confirm`, undefined, 400, V, "params.id"],
      [
        "POST",
        `/api/v1/nodes/${id}/firewall/unblock`,
        { address: "192.0.2.1" },
        400,
        V,
        "params.id",
      ],
    ]),
    ["GET", "/api/v1/nodes/nod_missing/firewall", undefined, 404, "NOT_FOUND", ""],
    ["PUT", "/api/v1/nodes/nod_missing/firewall", valid, 404, "NOT_FOUND", ""],
    ["POST", `${path}/confirm`, undefined, 409, "CONFLICT", ""],
    ["POST", `${path}/unblock`, { address: "192.0.2.1" }, 409, "CONFLICT", ""],
  ];
}
