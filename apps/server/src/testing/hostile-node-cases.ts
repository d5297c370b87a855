// The hostile values of hostile-input.test.ts for nodes and agent enrollment. Enrollment is
// rate-limited (20 a minute per address), so its cases stay under that.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import {
  badIds,
  badPages,
  bodyCases,
  type Case,
  fieldCases,
  V,
  withField,
} from "./hostile-cases.ts";

/** The node the cases act on (pending), and its name. */
export interface HostileNode {
  id: string;
  name: string;
}

const CSR = `-----BEGIN CERTIFICATE REQUEST-----\n${"A".repeat(120)}\n-----END CERTIFICATE REQUEST-----`;

export function nodeCases(node: HostileNode): Case[] {
  const create = { name: "hostile-node", agentUrl: "https://10.0.0.1:7443" };
  const enroll = { token: "t".repeat(43), csr: CSR };
  const out: Case[] = [
    ...bodyCases("POST", "/api/v1/nodes", create),
    ...fieldCases("POST", "/api/v1/nodes", create, "name", [
      ...SQL,
      ...CONTROL,
      "web\n",
      LONG,
      "x".repeat(64),
      "Web",
      "-web",
      "web 1",
      "web;reboot",
      "../etc",
      "",
      5,
      null,
    ]),
    ...fieldCases("POST", "/api/v1/nodes", create, "agentUrl", [
      "http://10.0.0.1:7443",
      "ftp://10.0.0.1:21",
      "file:///etc/passwd",
      "https://10.0.0.1",
      "https://10.0.0.1:7443/",
      "https://10.0.0.1:7443/../../etc",
      "https://user@10.0.0.1:7443",
      "https://10.0.0.1:7443;reboot",
      "https://10.0.0.1:7443\n",
      "https://10.0.0.1 :7443",
      " https://10.0.0.1:7443",
      "https://10.0.0.1:99999",
      "https://10.0.0.1:0",
      `https://${LONG}:7443`,
      SQL[0],
      1,
      null,
    ]),
    ["POST", "/api/v1/nodes", { name: "hostile-node" }, 400, V, "body.agentUrl"],
    ["POST", "/api/v1/nodes", withField(create, "name", node.name), 409, "CONFLICT", "name"],
    ["POST", "/api/v1/nodes", withField(create, "state", "trusted"), 400, V, "body.state"],
    ["POST", "/api/v1/nodes", withField(create, "local", true), 400, V, "body.local"],
    ...["state=bogus", "state=", `q=${enc(CONTROL[0])}`, `q=${LONG}`].map(
      (q): Case => [
        "GET",
        `/api/v1/nodes?${q}`,
        undefined,
        400,
        V,
        `querystring.${q.split("=")[0]}`,
      ],
    ),
    ...badPages.map(
      ([q = "", field = ""]): Case => ["GET", `/api/v1/nodes?${q}`, undefined, 400, V, field],
    ),
    ...bodyCases("PATCH", `/api/v1/nodes/${node.id}`, { outbound: { allowPrivate: true } }),
    ...(
      [
        [{ allowPrivate: "yes" }, "body.outbound.allowPrivate"],
        [{ allowPrivate: 1 }, "body.outbound.allowPrivate"],
        [{ allow: "10.0.0.0/8" }, "body.outbound.allow"],
        [{ allow: Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`) }, "body.outbound.allow"],
        [{ surprise: true }, "body.outbound.surprise"],
        ...[
          "10.0.0.0/33",
          "010.0.0.0/8",
          "2130706433/32",
          "0x7f.1/8",
          "10.0.0.0/8; deny",
          "fe80::1%eth0/64",
          "::/129",
          "",
          SQL[0],
          LONG,
          ...CONTROL,
        ].map((bad): [unknown, string] => [{ allow: [bad] }, "body.outbound.allow.0"]),
      ] as [unknown, string][]
    ).map(
      ([outbound, field]): Case => [
        "PATCH",
        `/api/v1/nodes/${node.id}`,
        { outbound },
        400,
        V,
        field,
      ],
    ),
    ["PATCH", `/api/v1/nodes/${node.id}`, {}, 400, V, "body.outbound"],
    // where other nodes reach its DNS server: an IPv4 address and a port, nothing else
    ...[
      "10.0.0.1",
      "10.0.0.1:65536",
      "[::1]:53",
      "ns1.example.net:53",
      "10.0.0.1:53; rndc stop",
      "10.0.0.1:53\nallow-transfer { any; }",
      SQL[0],
      LONG,
      CONTROL[0],
      5,
    ].map(
      (bad): Case => [
        "PATCH",
        `/api/v1/nodes/${node.id}`,
        { dnsAddress: bad },
        400,
        V,
        "body.dnsAddress",
      ],
    ),
    ["PATCH", "/api/v1/nodes/node_missing", { outbound: {} }, 404, "NOT_FOUND", ""],
    ["GET", "/api/v1/nodes/node_missing", undefined, 404, "NOT_FOUND", ""],
    ["POST", "/api/v1/nodes/node_missing/enrollment-token", undefined, 404, "NOT_FOUND", ""],
    ["POST", "/api/v1/nodes/node_missing/revoke", undefined, 404, "NOT_FOUND", ""],
    ["GET", "/api/v1/nodes/node_missing/metrics", undefined, 404, "NOT_FOUND", ""],
    ["POST", "/api/v1/nodes/node_missing/facts/refresh", undefined, 404, "NOT_FOUND", ""],
    // agent upgrades: a release's version, nothing a path or a shell could take otherwise
    ...bodyCases("POST", `/api/v1/nodes/${node.id}/agent-upgrade`, { version: "1.2.3" }),
    ...fieldCases("POST", `/api/v1/nodes/${node.id}/agent-upgrade`, {}, "version", [
      ...SQL,
      ...CONTROL,
      "../1.2.3",
      "1.2.3/../../etc",
      "1.2.3;reboot",
      "1.2.3`id`",
      "1.2.3\n",
      "1.2.3+build",
      "v1.2.3",
      LONG,
      "",
      5,
      null,
    ]),
    ["POST", "/api/v1/nodes/node_missing/agent-upgrade", {}, 404, "NOT_FOUND", ""],
    [
      "POST",
      `/api/v1/nodes/${node.id}/agent-upgrade`,
      { version: "1.2.3" },
      409,
      "CONFLICT",
      "state",
    ],
    // the public install routes (60 a minute per address: a few cases), refused before any
    // file is looked for
    ...["..%2F..%2Fetc", enc("1.2.3;id"), enc("1.2.3\n"), "1".repeat(80), enc(SQL[0])].map(
      (bad): Case => [
        "GET",
        `/install/agent/${bad}/steward-agent-linux-x64`,
        undefined,
        400,
        V,
        "params.version",
      ],
    ),
    ...[
      "steward-agent-linux-x64%00",
      "passwd",
      enc("../steward-agent-linux-x64"),
      "steward-agent-linux-riscv64",
    ].map((bad): Case => ["GET", `/install/agent/1.2.3/${bad}`, undefined, 400, V, "params.file"]),
    // agent enrollment (public): refused before the token is looked at, so nothing is written
    ...bodyCases("POST", "/api/v1/agent/enroll", enroll),
    ...fieldCases("POST", "/api/v1/agent/enroll", enroll, "token", [SQL[0], "short"]),
    ...fieldCases("POST", "/api/v1/agent/enroll", enroll, "csr", ["x"]),
    ["POST", "/api/v1/agent/enroll", enroll, 400, V, "csr"],
    ...["http://10.0.0.1:7443", "https://10.0.0.1:7443;reboot\n", "https://a b:1"].map(
      (u): Case => [
        "POST",
        "/api/v1/agent/enroll",
        withField(enroll, "agentUrl", u),
        400,
        V,
        "agentUrl",
      ],
    ),
  ];
  for (const id of badIds) {
    out.push(["PATCH", `/api/v1/nodes/${id}`, { outbound: {} }, 400, V, "params.id"]);
    out.push(["POST", `/api/v1/nodes/${id}/agent-upgrade`, {}, 400, V, "params.id"]);
  }
  for (const [method, sub] of [
    ["GET", ""],
    ["POST", "/enrollment-token"],
    ["POST", "/revoke"],
    ["GET", "/metrics"],
    ["POST", "/facts/refresh"],
  ] as const)
    for (const id of badIds)
      out.push([method, `/api/v1/nodes/${id}${sub}`, undefined, 400, V, "params.id"]);
  return out;
}
