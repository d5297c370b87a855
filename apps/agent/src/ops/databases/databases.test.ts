// The engines' adapters against real servers: a hermetic MariaDB and PostgreSQL, each reached
// as a node's own server (its admin socket) and as an external server over TCP with TLS (a CA
// made here). Connection diagnostics for each failure kind; create, grant, rotate (old
// password refused, new accepted), delete; a failed GRANT leaves no user behind.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  freePort,
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { issueIdentity, makeCa } from "../../testing/pki.ts";
import { runOperation } from "../framework.ts";
import type { OpContext } from "../types.ts";
import {
  adapterFor,
  asAdmin,
  canLogin,
  createDatabase,
  createUser,
  dropDatabase,
  dropUser,
  rotatePassword,
  type ServerAccess,
  testConnection,
} from "./manage.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;
let ca: { ca: string; caKey: string };
let otherCa: { ca: string; caKey: string };
let dir: string;
let config: AgentConfig;
const ADMIN_PASSWORD = "admin-secret-1";
const HOSTS = ["localhost", "127.0.0.1"];

beforeAll(async () => {
  ca = await makeCa("Database test CA");
  otherCa = await makeCa("Another CA");
  const tls = await issueIdentity(ca, "db.test", "server-and-client", ["127.0.0.1", "localhost"]);
  const [m, p] = await Promise.all([
    startMariadb({ tls }),
    startPostgres({ tls, passwords: true }),
  ]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  mariadb = m;
  postgres = p;
  // the external servers' admins log in with a password over TCP
  await mariadb.sql(
    `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${ADMIN_PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION; CREATE USER 'weak'@'127.0.0.1' IDENTIFIED BY '${ADMIN_PASSWORD}'; GRANT SELECT ON *.* TO 'weak'@'127.0.0.1'`,
  );
  // an admin that may create users but not grant: MariaDB's GRANT then fails for real
  await mariadb.sql(
    ["localhost", "127.0.0.1"]
      .map(
        (h) =>
          `CREATE USER 'granter'@'${h}' IDENTIFIED BY '${ADMIN_PASSWORD}'; GRANT CREATE USER, SELECT ON *.* TO 'granter'@'${h}';`,
      )
      .join(" "),
  );
  await asAdmin(local("postgres"), async ({ session }) => {
    await session.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN_PASSWORD}'`);
    await session.query(`CREATE ROLE weak LOGIN PASSWORD '${ADMIN_PASSWORD}'`);
  });
  dir = await mkdtemp(join(tmpdir(), "steward-db-ops-"));
  config = parseConfig(dir, { nodeId: "n1", panelUrl: "http://127.0.0.1:1", systemd: false });
}, 120_000);
afterAll(async () => {
  await Promise.all([mariadb?.stop(), postgres?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A node's own server: the admin through the socket, users log in where a site would. */
function local(engine: DatabaseEngine): ServerAccess {
  return engine === "mariadb"
    ? {
        engine,
        admin: { kind: "socket", path: mariadb.socket },
        credentials: { user: "root" },
        login: { kind: "socket", path: mariadb.socket },
      }
    : {
        engine,
        admin: { kind: "socket", path: postgres.socketDir, port: postgres.port },
        credentials: { user: "steward" },
        login: tcp(engine, "verify-full"),
      };
}

function tcp(engine: DatabaseEngine, mode: "disable" | "require" | "verify-full", trusted = ca.ca) {
  return {
    kind: "tcp" as const,
    host: "127.0.0.1",
    port: engine === "mariadb" ? mariadb.port : postgres.port,
    tls: { mode, ca: mode === "verify-full" ? trusted : null },
  };
}

/** An external server: everything over TCP with TLS checked against the test CA. */
function external(engine: DatabaseEngine, user = "admin", password = ADMIN_PASSWORD): ServerAccess {
  const place = tcp(engine, "verify-full");
  return { engine, admin: place, credentials: { user, password }, login: place };
}

/** Runs `fn` as an agent operation (the framework records steps and runs the undos). */
const operation = (fn: (ctx: OpContext) => Promise<unknown>) =>
  runOperation({ name: "test.databases", run: fn }, {}, { config, requestId: "req-db" });

const placements = [
  ["mariadb", "local"],
  ["mariadb", "external"],
  ["postgres", "local"],
  ["postgres", "external"],
] as const;
const accessOf = (engine: DatabaseEngine, where: "local" | "external") =>
  where === "local" ? local(engine) : external(engine);

describe.each(placements)("%s, %s", (engine, where) => {
  const suffix = `${engine === "mariadb" ? "m" : "p"}_${where}`;

  it("connects and reports version, size and no missing privilege", async () => {
    const report = await testConnection(accessOf(engine, where));
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.version).toMatch(engine === "mariadb" ? /MariaDB/ : /PostgreSQL/);
    expect(report.sizeBytes).toBeGreaterThanOrEqual(0);
  });

  it("creates a database and a user with a grant, rotates its password, deletes both", async () => {
    const access = accessOf(engine, where);
    const adapter = adapterFor(engine);
    const db = `shop_${suffix}`;
    const user = `shop_${suffix}_u`;
    const first = await operation(async (ctx) => {
      await createDatabase(ctx, access, {
        name: db,
        ...(engine === "mariadb"
          ? { charset: "utf8mb4", collation: "utf8mb4_unicode_ci" }
          : { encoding: "UTF8", locale: "C" }),
      });
      await createUser(
        ctx,
        access,
        { name: user, password: "first-pass-1", hosts: HOSTS, connectionLimit: 5 },
        [{ database: db, level: { kind: "all" } }],
      );
    });
    expect(first.status).toBe("ok");
    expect(await canLogin(access, user, "first-pass-1", db)).toBe(true);
    const listed = await asAdmin(access, async (admin) => ({
      databases: await adapter.listDatabases(admin),
      users: await adapter.listUsers(admin),
    }));
    expect(listed.databases.map((d) => d.name)).toContain(db);
    expect(listed.users.map((u) => u.name)).toContain(user);

    const rotated = await operation((ctx) =>
      rotatePassword(
        ctx,
        access,
        { name: user, hosts: HOSTS, database: db },
        { old: "first-pass-1", next: "second-pass-2" },
      ),
    );
    expect(rotated.status).toBe("ok");
    expect(rotated.steps.map((s) => s.name)).toContain(`the old password of ${user} is refused`);
    expect(await canLogin(access, user, "second-pass-2", db)).toBe(true);
    expect(await canLogin(access, user, "first-pass-1", db)).toBe(false);

    const removed = await operation(async (ctx) => {
      await dropUser(ctx, access, { name: user, hosts: HOSTS }, [db]);
      await dropDatabase(ctx, access, db);
    });
    expect(removed.status).toBe("ok");
    await asAdmin(access, async (admin) => {
      expect(await adapter.userExists(admin, { name: user, hosts: HOSTS })).toBe(false);
      expect(await adapter.databaseExists(admin, db)).toBe(false);
    });
  });

  it("a failed GRANT leaves no half-made user", async () => {
    const adapter = adapterFor(engine);
    const user = `half_${suffix}`;
    // the server refuses the GRANT: PostgreSQL on a missing database, MariaDB to an admin
    // without GRANT OPTION
    const access =
      engine === "mariadb"
        ? { ...accessOf(engine, where), credentials: { user: "granter", password: ADMIN_PASSWORD } }
        : accessOf(engine, where);
    const result = await operation((ctx) =>
      createUser(
        ctx,
        access,
        { name: user, password: "half-pass-1", hosts: ["localhost"], connectionLimit: null },
        [{ database: engine === "mariadb" ? "shop" : "no_such_db", level: { kind: "all" } }],
      ),
    );
    expect(result.status).toBe("failed");
    expect(result.steps.map((s) => s.name)).toContain(`rollback: drop user ${user}`);
    expect(
      await asAdmin(access, (admin) =>
        adapter.userExists(admin, { name: user, hosts: ["localhost"] }),
      ),
    ).toBe(false);
  });
});

describe.each(["mariadb", "postgres"] as const)("%s connection diagnostics", (engine) => {
  it("names a refused connection", async () => {
    const port = await freePort();
    const place = { ...tcp(engine, "disable"), port };
    const report = await testConnection({ ...external(engine), admin: place });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: "refused" });
    expect(report.problems[0]?.message).toContain(`127.0.0.1:${port}`);
  });

  it("names a wrong password", async () => {
    const report = await testConnection(external(engine, "admin", "wrong-password"));
    expect(report.problems[0]).toMatchObject({ kind: "authentication" });
    expect(report.problems[0]?.message).toContain("authentication failed for admin");
  });

  it("names a certificate it cannot trust", async () => {
    const report = await testConnection({
      ...external(engine),
      admin: tcp(engine, "verify-full", otherCa.ca),
    });
    expect(report.problems[0]).toMatchObject({ kind: "tls" });
    expect(report.problems[0]?.message).toContain("not trusted");
  });

  it("accepts require without checking the CA", async () => {
    const report = await testConnection({ ...external(engine), admin: tcp(engine, "require") });
    expect(report.ok).toBe(true);
  });

  it("names the missing privilege", async () => {
    const report = await testConnection(external(engine, "weak"));
    expect(report.ok).toBe(false);
    const privilege = engine === "mariadb" ? "CREATE USER" : "CREATEROLE";
    expect(report.problems.map((p) => p.privilege)).toContain(privilege);
    expect(report.problems.find((p) => p.privilege === privilege)?.message).toBe(
      `weak lacks the ${privilege} privilege Steward needs to manage databases and users`,
    );
  });
});
