// Databases' and users' inputs: each bad value refused naming its field, per engine.
import { describe, expect, it } from "vitest";
import {
  databaseCreate,
  databaseCreateProblems,
  databaseUserCreate,
  userCreateProblems,
} from "./api.ts";
import { databaseServerCreate } from "./servers.ts";
import { databaseTls, hostPattern } from "./settings.ts";

const issues = (schema: { safeParse(v: unknown): { error?: { issues: unknown[] } } }, v: unknown) =>
  ((schema.safeParse(v).error?.issues ?? []) as { path: PropertyKey[]; message: string }[]).map(
    (i) => [i.path.join("."), i.message],
  );
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("host patterns", () => {
  it.each(["localhost", "10.0.0.%", "%", "db.example.com", "::1", "10.0.0.0/255.255.255.0"])(
    "accepts %s",
    (h) => expect(hostPattern.safeParse(h).success).toBe(true),
  );
  it.each(["", "a b", "x'y", "x`y", "x;y", "x--y", "a\u0000b", "h".repeat(256), "LOCALHOST"])(
    "refuses %j",
    (h) => expect(hostPattern.safeParse(h).success).toBe(false),
  );
});

describe("database create", () => {
  it("checks per engine, naming the field", () => {
    const mine = (v: object) => databaseCreate.parse({ serverId: "s1", name: "shop", ...v });
    expect(databaseCreateProblems("mariadb", mine({ charset: "utf8mb4" }))).toEqual([]);
    expect(databaseCreateProblems("mariadb", mine({ encoding: "UTF8" }))).toEqual([
      { path: ["encoding"], message: "only applies to PostgreSQL servers" },
    ]);
    expect(databaseCreateProblems("postgres", mine({ collation: "utf8mb4_bin" }))).toEqual([
      { path: ["collation"], message: "only applies to MariaDB servers" },
    ]);
    expect(
      databaseCreateProblems("mariadb", mine({ charset: "latin1", collation: "utf8mb4_bin" })),
    ).toEqual([{ path: ["collation"], message: "must be a collation of latin1" }]);
    expect(databaseCreateProblems("postgres", mine({ owner: "pg_x" }))[0]?.path).toEqual(["owner"]);
    expect(databaseCreateProblems("mariadb", mine({ name: "mysql" }))[0]?.path).toEqual(["name"]);
  });

  it.each([
    [{ charset: "utf16" }, "charset", "must be one of"],
    [{ collation: "utf8mb4_bin; drop" }, "collation", "a collation name"],
    [{ encoding: "EBCDIC" }, "encoding", "must be one of"],
    [{ locale: "en_US.UTF-8'" }, "locale", "a locale like"],
    [{ name: "x".repeat(201) }, "name", "at most 200"],
    [{ extra: 1 }, "", "extra"],
  ])("refuses %j naming %s", (v, field, message) => {
    expect(issues(databaseCreate, { serverId: "s1", name: "shop", ...v })).toContainEqual([
      field,
      expect.stringContaining(message),
    ]);
  });
});

describe("user create", () => {
  const user = (v: object) => databaseUserCreate.parse({ serverId: "s1", name: "shop", ...v });
  it("defaults to localhost and no limit; checks privileges per engine", () => {
    expect(user({})).toMatchObject({ connectionLimit: null, grants: [] });
    const custom = user({
      grants: [{ databaseId: "d1", level: { kind: "custom", privileges: ["SELECT", "CONNECT"] } }],
    });
    expect(userCreateProblems("postgres", custom)).toEqual([]);
    expect(userCreateProblems("mariadb", custom)).toEqual([
      expect.objectContaining({ path: ["grants", 0, "level", "privileges", 1] }),
    ]);
    expect(userCreateProblems("postgres", user({ hosts: ["%"] }))[0]?.path).toEqual(["hosts"]);
  });

  it.each([
    [{ connectionLimit: 0 }, "connectionLimit"],
    [{ connectionLimit: 1.5 }, "connectionLimit"],
    [{ hosts: ["a'b"] }, "hosts.0"],
    [{ grants: [{ databaseId: "d1", level: { kind: "owner" } }] }, "grants.0.level.kind"],
    [
      { grants: [{ databaseId: "d1", level: { kind: "custom", privileges: [] } }] },
      "grants.0.level.privileges",
    ],
    [
      { grants: [{ databaseId: "d1", level: { kind: "custom", privileges: ["SUPER"] } }] },
      "grants.0.level.privileges.0",
    ],
    [
      {
        grants: [{ databaseId: "d1", level: { kind: "custom", privileges: ["SELECT", "SELECT"] } }],
      },
      "grants.0.level.privileges",
    ],
  ])("refuses %j naming %s", (v, field) => {
    expect(
      issues(databaseUserCreate, { serverId: "s1", name: "shop", ...v }).map(([p]) => p),
    ).toContain(field);
  });
});

describe("database servers", () => {
  const external = {
    placement: "external",
    name: "Shared",
    engine: "postgres",
    host: "db.example.com",
    port: 5432,
    adminUser: "admin",
    adminPassword: "secret",
    tls: { mode: "verify-full", ca: CA },
  };
  it("parses both placements with their defaults", () => {
    expect(databaseServerCreate.parse(external)).toMatchObject({
      accountId: null,
      viaNodeId: null,
      saveAnyway: false,
    });
    expect(
      databaseServerCreate.parse({
        placement: "on-node",
        name: "Local",
        engine: "mariadb",
        nodeId: "n1",
      }),
    ).toMatchObject({ placement: "on-node" });
  });
  it.each([
    [{ placement: "cloud" }, "placement"],
    [{ engine: "oracle" }, "engine"],
    [{ host: "a b" }, "host"],
    [{ port: 0 }, "port"],
    [{ adminPassword: "a\u0000b" }, "adminPassword"],
    [{ tls: { mode: "prefer" } }, "tls.mode"],
    [{ tls: { mode: "require", ca: "not a cert" } }, "tls.ca"],
    [{ tls: { mode: "disable", ca: CA } }, "tls.ca"],
    [{ adminPassword: undefined }, "adminPassword"],
  ])("refuses %j naming %s", (v, field) => {
    expect(issues(databaseServerCreate, { ...external, ...v }).map(([p]) => p)).toContain(field);
  });
  it("keeps a CA only beside TLS", () => {
    expect(databaseTls.parse({ mode: "require" })).toEqual({ mode: "require", ca: null });
  });
});
