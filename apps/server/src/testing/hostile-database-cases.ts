// The hostile values of hostile-input.test.ts for the database servers API (issue 14): names,
// hosts, ports, TLS modes and CAs that are not what they claim, admin passwords with NUL,
// targets the outbound policy refuses (loopback, link-local), hostile ids and list filters.
// All refused with a 4xx naming the field, before anything is written or connected.
import { enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function databaseCases(server: string): Case[] {
  const path = "/api/v1/database-servers";
  const one = `${path}/${server}`;
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
    ["POST", path, { ...external, accountId: "acc_missing" }, 400, V, "accountId"],
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
    // a change: refused by the schema, or by the outbound policy naming the host
    ...bodyCases("PATCH", one, { name: "renamed" }).slice(0, 3),
    ...fieldCases("PATCH", one, {}, "name", ["", "a\nb", LONG]),
    ...fieldCases("PATCH", one, {}, "host", [SQL[1], "db`x", "a b", LONG]),
    ...fieldCases("PATCH", one, {}, "port", [0, "x", 70000]),
    ...fieldCases("PATCH", one, {}, "adminUser", ["a\u0000b"]),
    ...fieldCases("PATCH", one, {}, "adminPassword", ["a\u0000b", ""]),
    ...fieldCases("PATCH", one, {}, "engine", ["mariadb"]).map(
      (c): Case => [c[0], c[1], c[2], 400, V, "body.engine"],
    ),
    ["PATCH", one, { tls: { mode: "prefer" } }, 400, V, "body.tls.mode"],
    ["PATCH", one, { tls: { mode: "require", ca: "-----BEGIN x" } }, 400, V, "body.tls.ca"],
    ["PATCH", one, { host: "169.254.169.254" }, 400, V, "host"],
    // a delete names the server again
    ["DELETE", one, undefined, 400, V, "querystring.confirm"],
    ["DELETE", `${one}?confirm=${enc(SQL[0])}`, undefined, 400, V, "confirm"],
    ["DELETE", `${one}?confirm=${"x".repeat(201)}`, undefined, 400, V, "querystring.confirm"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["PATCH", `${path}/${id}`, { name: "x" }, 400, V, "params.id"],
      ["DELETE", `${path}/${id}?confirm=x`, undefined, 400, V, "params.id"],
    ]),
  ];
}

/**
 * Databases and users (issue 14): refused by the schemas, or (names a server would take as
 * syntax, reserved words, too long for the engine) by the engine's name validator once the
 * server is read, naming the field; the server is never asked.
 */
export function databaseItemCases(server: string): Case[] {
  const D = "/api/v1/databases";
  const U = "/api/v1/database-users";
  const database = { serverId: server, name: "shop" };
  const user = { serverId: server, name: "shop_user" };
  const level = (value: unknown) => ({ grants: [{ databaseId: "db_x", level: value }] });
  const engineNames = ["a'b", "a`b", "a;b", "a--b", "a\u0000b", "x".repeat(200), "select"];
  return [
    ...bodyCases("POST", D, database).slice(0, 3),
    ...fieldCases("POST", D, database, "name", [LONG, 5]),
    ...fieldCases("POST", D, database, "serverId", [SQL[0]]),
    ...fieldCases("POST", D, database, "charset", ["utf16"]),
    ...fieldCases("POST", D, database, "collation", ["utf8mb4_bin; drop"]),
    ...fieldCases("POST", D, database, "locale", ["C'"]),
    ...engineNames.flatMap((name): Case[] => [
      ["POST", D, { ...database, name }, 400, V, "name"],
      ["POST", U, { ...user, name }, 400, V, "name"],
    ]),
    ...bodyCases("POST", U, user).slice(0, 3),
    ...fieldCases("POST", U, user, "hosts", [["a'b"], []]).map(
      (c): Case => [
        c[0],
        c[1],
        c[2],
        400,
        V,
        (c[2] as { hosts: string[] }).hosts.length ? "body.hosts.0" : "body.hosts",
      ],
    ),
    ...fieldCases("POST", U, user, "connectionLimit", [0, 1.5, "5"]),
    ...fieldCases("POST", U, user, "password", [
      "short",
      "a\u0000bcdefghijklm",
      "a\nbcdefghijklm",
      LONG,
      5,
    ]),
    ["POST", U, { ...user, ...level({ kind: "owner" }) }, 400, V, "body.grants.0.level.kind"],
    [
      "POST",
      U,
      { ...user, ...level({ kind: "custom", privileges: ["SUPER"] }) },
      400,
      V,
      "body.grants.0.level.privileges.0",
    ],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${D}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${D}/${id}?confirm=x`, undefined, 400, V, "params.id"],
      ["GET", `${D}/${id}/sizes`, undefined, 400, V, "params.id"],
      ["GET", `/api/v1/accounts/${id}/database-sizes`, undefined, 400, V, "params.id"],
      ["GET", `${U}/${id}`, undefined, 400, V, "params.id"],
      ["POST", `${U}/${id}/rotate`, undefined, 400, V, "params.id"],
      ["GET", `${U}/${id}/password`, undefined, 400, V, "params.id"],
      ["POST", `${U}/${id}/grants`, level({ kind: "all" }), 400, V, "params.id"],
      ["POST", `${U}/${id}/revoke`, { databaseIds: ["db_x"] }, 400, V, "params.id"],
      ["DELETE", `${U}/${id}?confirm=x`, undefined, 400, V, "params.id"],
    ]),
    ["DELETE", `${D}/db_x`, undefined, 400, V, "querystring.confirm"],
    ["GET", `${D}/db_x/sizes?limit=0`, undefined, 400, V, "querystring.limit"],
    // adoption: names only of what exists on the server
    ["POST", `/api/v1/database-servers/${server}/adopt`, {}, 400, V, "body.databases"],
    ["POST", `/api/v1/database-servers/${server}/adopt`, { users: "x" }, 400, V, "body.users"],
    [
      "POST",
      `/api/v1/database-servers/${server}/adopt`,
      { databases: [SQL[0]] },
      400,
      V,
      "databases.0",
    ],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `/api/v1/database-servers/${id}/inventory`, undefined, 400, V, "params.id"],
      ["POST", `/api/v1/database-servers/${id}/adopt`, { users: ["u"] }, 400, V, "params.id"],
    ]),
    ["DELETE", `${U}/dbu_x?confirm=${"x".repeat(201)}`, undefined, 400, V, "querystring.confirm"],
    ["POST", `${U}/dbu_x/grants`, { grants: [] }, 400, V, "body.grants"],
    ["POST", `${U}/dbu_x/revoke`, { databaseIds: [SQL[0]] }, 400, V, "body.databaseIds.0"],
    ...[D, U].flatMap((path): Case[] => [
      ["GET", `${path}?limit=0`, undefined, 400, V, "querystring.limit"],
      ["GET", `${path}?server=${enc(SQL[0])}`, undefined, 400, V, "querystring.server"],
      ["GET", `${path}?account=${enc(SQL[1])}`, undefined, 400, V, "querystring.account"],
      ["GET", `${path}?sort=size`, undefined, 400, V, "querystring.sort"],
      ["GET", `${path}?engine=${enc(SQL[0])}`, undefined, 400, V, "querystring.engine"],
      ["GET", `${path}?engine=oracle`, undefined, 400, V, "querystring.engine"],
    ]),
  ];
}
