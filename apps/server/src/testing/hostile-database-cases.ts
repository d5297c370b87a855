// The hostile values of hostile-input.test.ts for the database servers API (issue 14): names,
// hosts, ports, TLS modes and CAs that are not what they claim, admin passwords with NUL,
// targets the outbound policy refuses (loopback, link-local), hostile ids and list filters.
// All refused with a 4xx naming the field, before anything is written or connected.
import { enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function databaseCases(server: string): Case[] {
  const path = "/api/v1/database-servers";
  const external = {
    placement: "external",
    name: "hostile",
    engine: "postgres",
    host: "db.example.com",
    port: 5432,
    adminUser: "admin",
    adminPassword: "secret",
    tls: { mode: "require" },
  };
  const tls = (value: unknown): Case => [
    "POST",
    path,
    { ...external, tls: value },
    400,
    V,
    "body.tls.mode",
  ];
  return [
    ...bodyCases("POST", path, external).slice(0, 3),
    ...fieldCases("POST", path, external, "name", ["", "a\nb", LONG]),
    ...fieldCases("POST", path, external, "placement", ["cloud"]),
    ...fieldCases("POST", path, external, "engine", [SQL[0]]),
    ...fieldCases("POST", path, external, "host", [SQL[1], "db`x", "a b", LONG]),
    ...fieldCases("POST", path, external, "port", [0, "x"]),
    ...fieldCases("POST", path, external, "adminUser", ["a\u0000b"]),
    ...fieldCases("POST", path, external, "adminPassword", ["a\u0000b"]),
    ...fieldCases("POST", path, external, "accountId", [SQL[0]]),
    ...fieldCases("POST", path, external, "saveAnyway", ["yes"]),
    tls({ mode: "prefer" }),
    [
      "POST",
      path,
      { ...external, tls: { mode: "require", ca: "-----BEGIN x" } },
      400,
      V,
      "body.tls.ca",
    ],
    // refused by the outbound policy at input, naming the host
    ...["0.0.0.0", "169.254.169.254"].map(
      (host): Case => ["POST", path, { ...external, host, accountId: null }, 400, V, "host"],
    ),
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${path}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${path}/${id}/test`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${path}/${server}x`, undefined, 404, "NOT_FOUND", ""],
    ["GET", `${path}?limit=0`, undefined, 400, V, "querystring.limit"],
    ["GET", `${path}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ["GET", `${path}?node=${enc(SQL[0])}`, undefined, 400, V, "querystring.node"],
    ["GET", `${path}?sort=engine`, undefined, 400, V, "querystring.sort"],
  ];
}
