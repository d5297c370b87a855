// The query library's "create read-only user" on real servers (a hermetic MariaDB and
// PostgreSQL, external servers the panel reaches): run from a database's console in write
// mode by the account's admin, Steward creates the user as the server's admin through its
// database users; the answer shows the generated password once, the user logs in and reads
// the database but cannot write; the history and audit keep the template, never the
// password; bad names and the wrong callers make nothing.
import { inventory, type ServerAccess, streamStatement } from "@steward/agent/databases";
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../../testing/use-server.ts";

const ADMIN = "template-admin-1";
let mariadb: MariadbServer;
let postgres: PostgresServer;

beforeAll(async () => {
  const [m, p] = await Promise.all([startMariadb(), startPostgres({ passwords: true })]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  [mariadb, postgres] = [m, p];
  await mariadb.sql(
    `CREATE USER 'admin'@'%' IDENTIFIED BY '${ADMIN}'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION`,
  );
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
  await client.end();
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop()]));

const place = (engine: DatabaseEngine) => ({
  kind: "tcp" as const,
  host: "127.0.0.1",
  port: engine === "mariadb" ? mariadb.port : postgres.port,
  tls: { mode: "disable" as const, ca: null },
});
const admin = (engine: DatabaseEngine): ServerAccess => ({
  engine,
  admin: place(engine),
  credentials: { user: "admin", password: ADMIN },
  login: place(engine),
});

/** `sql` as `user` on `database`: the rows, or the server's refusal. */
async function as(engine: DatabaseEngine, user: string, password: string, sql: string) {
  // MariaDB's new user is at localhost: its socket
  const where =
    engine === "mariadb" ? { kind: "socket" as const, path: mariadb.socket } : place(engine);
  const rows: unknown[][] = [];
  try {
    await streamStatement(
      engine,
      where,
      { user, password, database: "shop" },
      { sql, params: [], mode: "write", timeoutMs: 10_000 },
      { columns: () => {}, row: (cells) => rows.push(cells) > 0 },
    );
    return rows;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("the query library's read-only user", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const ids = {} as Record<DatabaseEngine, string>;
  const api = (method: string, url: string, body: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, body });
  const run = (engine: DatabaseEngine, body: Record<string, unknown>, key = w.keys.accountAdmin) =>
    api("POST", `/api/v1/databases/${ids[engine]}/query`, body, key);

  beforeAll(async () => {
    for (const engine of ["mariadb", "postgres"] as const) {
      const server = await api("POST", "/api/v1/database-servers", {
        name: `template-${engine}`,
        engine,
        accountId: w.a,
        placement: "external",
        host: "127.0.0.1",
        port: place(engine).port,
        adminUser: "admin",
        adminPassword: ADMIN,
        tls: { mode: "disable" },
      });
      expect(server.status, JSON.stringify(server.body)).toBe(201);
      const database = await api("POST", "/api/v1/databases", {
        serverId: server.body.id,
        name: "shop",
      });
      expect(database.status, JSON.stringify(database.body)).toBe(201);
      ids[engine] = database.body.id;
      const owner = await api("POST", "/api/v1/database-users", {
        serverId: server.body.id,
        name: "shop_u",
        ...(engine === "mariadb" ? { hosts: ["%"] } : {}),
        grants: [{ databaseId: ids[engine], level: { kind: "all" } }],
      });
      expect(owner.status, JSON.stringify(owner.body)).toBe(201);
      for (const sql of ["CREATE TABLE items (id integer)", "INSERT INTO items VALUES (1), (2)"]) {
        const done = await run(engine, { sql, mode: "write", confirm: true });
        expect(done.status, JSON.stringify(done.body)).toBe(200);
      }
    }
  }, 120_000);

  describe.each(["mariadb", "postgres"] as const)("%s", (engine) => {
    const template = { template: "create-read-only-user", mode: "write", confirm: true };

    it("creates a user who reads the database and cannot write, its password shown once", async () => {
      const made = await run(engine, { ...template, params: { user: "shop_reader" } });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      expect(made.body).toMatchObject({
        columns: [
          { name: "user", type: "text" },
          { name: "password", type: "text" },
        ],
        rowCount: 1,
        nextCursor: null,
      });
      const [[user, password]] = made.body.rows;
      expect(user).toBe("shop_reader");
      expect(password).toHaveLength(32);
      expect(await as(engine, user, password, "SELECT id FROM items ORDER BY id")).toEqual([
        [1],
        [2],
      ]);
      expect(await as(engine, user, password, "INSERT INTO items VALUES (3)")).toMatch(
        /denied|permission/i,
      );
      // one of the server's users now, with its grant
      const users = await s.request("GET", "/api/v1/database-users?limit=100", {
        key: w.keys.accountAdmin,
      });
      const listed = users.body.items.find(
        (u: { name: string; grants: { databaseId: string }[] }) =>
          u.name === "shop_reader" && u.grants[0]?.databaseId === ids[engine],
      );
      expect(listed?.grants).toEqual([
        { databaseId: ids[engine], database: "shop", level: { kind: "read-only" } },
      ]);
      // the history and the audit keep the template and the name, never the password
      const history = await s.request("GET", `/api/v1/databases/${ids[engine]}/queries?limit=1`, {
        key: w.keys.accountAdmin,
      });
      expect(history.body.items[0]).toMatchObject({
        mode: "write",
        outcome: "success",
        rowCount: 1,
      });
      const audit = await s.svc.db.db.selectFrom("audit_events").selectAll().execute();
      expect(
        audit.some(
          (e) => e.action === "database.query" && e.diff?.includes("create-read-only-user"),
        ),
      ).toBe(true);
      expect(
        audit.some((e) => e.action === "database-user.create" && e.diff?.includes("shop_reader")),
      ).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(password);
      expect(JSON.stringify(history.body)).not.toContain(password);
    });

    it("refuses bad names, a taken name and the wrong callers, making nothing", async () => {
      const before = (await inventory(admin(engine))).users.map((u) => u.name).sort();
      for (const user of ["x'; DROP USER admin; --", "a`b", "select", "x".repeat(200), "Reader"]) {
        const got = await run(engine, { ...template, params: { user } });
        expect([user, got.status, got.body.error?.details?.[0]?.field]).toEqual([
          user,
          400,
          "body.params.user",
        ]);
      }
      const taken = await run(engine, { ...template, params: { user: "shop_u" } });
      expect(taken.status).toBe(409);
      expect(taken.body.error.details[0].field).toBe("body.params.user");
      const read = await run(engine, {
        template: "create-read-only-user",
        params: { user: "r_two" },
      });
      expect(read.body.error.details[0].field).toBe("body.mode");
      const operator = await run(
        engine,
        { ...template, params: { user: "r_two" } },
        w.keys.operator,
      );
      expect(operator.status).toBe(403);
      const stranger = await run(
        engine,
        { ...template, params: { user: "r_two" } },
        w.keys.otherAdmin,
      );
      expect(stranger.status).toBe(404);
      const exported = await api("POST", `/api/v1/databases/${ids[engine]}/query?format=csv`, {
        ...template,
        params: { user: "r_two" },
      });
      expect(exported.status).toBe(400);
      expect((await inventory(admin(engine))).users.map((u) => u.name).sort()).toEqual(before);
    });
  });
});
