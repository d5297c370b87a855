// Databases and users through the API against real servers, once per file: a hermetic
// MariaDB and PostgreSQL, each a node's own server (reached by a real enrolled agent through
// its admin socket, the operation database.apply) and an external server over TCP with TLS
// checked against a CA made here (the panel connects). On each: the connection test, create,
// grant, rotate (old password refused, new accepted), delete; a forced failed GRANT leaves no
// user on the server and no row; hostile names are refused naming the field, nothing made.
import { canLogin, inventory, type ServerAccess } from "@steward/agent/databases";
import { issueIdentity, makeCa } from "@steward/agent/testing";
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  type MariadbServer,
  type NginxServer,
  type PostgresServer,
  startMariadb,
  startNginx,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, nodeDatabases, type RealNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { findTask } from "../tasks/repo.ts";

const PASSWORD = "db-admin-secret-1";
let mariadb: MariadbServer;
let postgres: PostgresServer;
let nginx: NginxServer;
let ca: string;

beforeAll(async () => {
  const authority = await makeCa("Databases API CA");
  ca = authority.ca;
  const tls = await issueIdentity(authority, "db.test", "server-and-client", ["127.0.0.1"]);
  const [m, p, n] = await Promise.all([
    startMariadb({ tls }),
    startPostgres({ tls, passwords: true }),
    startNginx({ listen: "127.0.0.5" }),
  ]);
  if (!m || !p || !n) throw new Error("MariaDB, PostgreSQL and nginx are needed");
  [mariadb, postgres, nginx] = [m, p, n];
  await mariadb.sql(
    [
      `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
      "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION",
      // may create databases and users, but not grant: a GRANT then fails for real
      `CREATE USER 'granter'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
      "GRANT CREATE USER, CREATE, SELECT ON *.* TO 'granter'@'127.0.0.1'",
    ].join("; "),
  );
  await adminSql("postgres", `CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${PASSWORD}'`);
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop(), nginx?.stop()]));

/** The servers' own admins, as the node's agent reaches them (for checks behind the API). */
function admin(engine: DatabaseEngine): ServerAccess {
  const place =
    engine === "mariadb"
      ? { kind: "socket" as const, path: mariadb.socket }
      : { kind: "socket" as const, path: postgres.socketDir, port: postgres.port };
  const user = engine === "mariadb" ? "root" : "steward";
  return { engine, admin: place, credentials: { user }, login: login(engine, "local") };
}

/** Where a user logs in: MariaDB's local users by the socket, everyone else over TCP. */
function login(engine: DatabaseEngine, placement: "local" | "external"): ServerAccess["login"] {
  if (engine === "mariadb" && placement === "local")
    return { kind: "socket", path: mariadb.socket };
  const port = engine === "mariadb" ? mariadb.port : postgres.port;
  return { kind: "tcp", host: "127.0.0.1", port, tls: { mode: "require", ca: null } };
}

async function adminSql(engine: DatabaseEngine, statement: string) {
  const { asAdmin } = await import("@steward/agent/databases");
  await asAdmin(admin(engine), ({ session }) => session.query(statement));
}

const onServer = (engine: DatabaseEngine) => inventory(admin(engine));

const logsIn = (
  engine: DatabaseEngine,
  placement: "local" | "external",
  user: string,
  password: string,
  database?: string,
) => canLogin({ ...admin(engine), login: login(engine, placement) }, user, password, database);

describe("databases and users on real servers", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const servers: Record<string, string> = {};

  beforeAll(async () => {
    node = await enrollRealNode(s, w.keys.super, {
      name: "db-node",
      nginx,
      agentJson: {
        databases: nodeDatabases(mariadb, postgres),
      },
    });
  }, 120_000);
  afterAll(() => node?.close());

  const external = (engine: DatabaseEngine, adminUser = "admin") => ({
    placement: "external",
    host: "127.0.0.1",
    port: engine === "mariadb" ? mariadb.port : postgres.port,
    adminUser,
    adminPassword: PASSWORD,
    tls: { mode: "verify-full", ca },
  });
  const addServer = async (engine: DatabaseEngine, placement: "local" | "external") => {
    const key = `${engine}-${placement}`;
    if (servers[key]) return servers[key];
    const made = await api("POST", "/api/v1/database-servers", {
      name: key,
      engine,
      accountId: w.a,
      ...(placement === "local" ? { placement: "on-node", nodeId: node.id } : external(engine)),
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.test).toMatchObject({ ok: true, problems: [] });
    servers[key] = made.body.id;
    return made.body.id as string;
  };

  describe.each([
    ["mariadb", "local"],
    ["mariadb", "external"],
    ["postgres", "local"],
    ["postgres", "external"],
  ] as const)("%s, %s", (engine, placement) => {
    const db = `shop_${engine.slice(0, 2)}_${placement.slice(0, 3)}`;
    const user = `${db}_u`;
    const hosts = engine === "mariadb" && placement === "external" ? { hosts: ["127.0.0.1"] } : {};

    it("tests the connection, then creates, grants, rotates and deletes", async () => {
      const server = await addServer(engine, placement);
      const tested = await api("POST", `/api/v1/database-servers/${server}/test`);
      expect(tested.body).toMatchObject({ ok: true, problems: [] });

      const made = await api("POST", "/api/v1/databases", { serverId: server, name: db });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject({ name: db, engine, server: `${engine}-${placement}` });
      expect((await onServer(engine)).databases.map((d) => d.name)).toContain(db);

      const created = await api("POST", "/api/v1/database-users", {
        serverId: server,
        name: user,
        ...hosts,
        connectionLimit: 5,
        grants: [{ databaseId: made.body.id, level: { kind: "all" } }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const first = created.body.password as string;
      expect(first).toHaveLength(32);
      expect(created.body.grants).toEqual([
        { databaseId: made.body.id, database: db, level: { kind: "all" } },
      ]);
      expect(await logsIn(engine, placement, user, first, db)).toBe(true);
      const shown = await api("GET", `/api/v1/database-users/${created.body.id}`);
      expect(JSON.stringify(shown.body)).not.toContain(first);
      const row = await s.svc.db.db
        .selectFrom("database_users")
        .select("password_sealed")
        .where("id", "=", created.body.id)
        .executeTakeFirstOrThrow();
      expect(row.password_sealed).toMatch(/^v1:/);

      const rotated = await api("POST", `/api/v1/database-users/${created.body.id}/rotate`);
      expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
      const next = rotated.body.password as string;
      expect(next).not.toBe(first);
      expect(await logsIn(engine, placement, user, next, db)).toBe(true);
      expect(await logsIn(engine, placement, user, first, db)).toBe(false);
      const again = await api("GET", `/api/v1/database-users/${created.body.id}/password`);
      expect(again.body).toEqual({ password: next });
      const reader = await api(
        "GET",
        `/api/v1/database-users/${created.body.id}/password`,
        undefined,
        w.keys.reader,
      );
      expect(reader.status).toBe(403);
      const audit = await s.svc.db.db
        .selectFrom("audit_events")
        .selectAll()
        .where("target_id", "=", created.body.id)
        .execute();
      expect(audit.map((e) => e.action).sort()).toEqual([
        "database-user.create",
        "database-user.password.read",
        "database-user.rotate",
      ]);
      expect(JSON.stringify(audit)).not.toContain(first);
      expect(JSON.stringify(audit)).not.toContain(next);

      const wrong = await api("DELETE", `/api/v1/database-users/${created.body.id}?confirm=nope`);
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details[0].field).toBe("confirm");
      const gone = await api("DELETE", `/api/v1/database-users/${created.body.id}?confirm=${user}`);
      expect(gone.status, JSON.stringify(gone.body)).toBe(200);
      expect((await onServer(engine)).users.map((u) => u.name)).not.toContain(user);
      const dropped = await api("DELETE", `/api/v1/databases/${made.body.id}?confirm=${db}`);
      expect(dropped.status, JSON.stringify(dropped.body)).toBe(200);
      expect((await onServer(engine)).databases.map((d) => d.name)).not.toContain(db);
      expect((await api("GET", `/api/v1/databases/${made.body.id}`)).status).toBe(404);
    });

    it("refuses hostile names naming the field, and makes nothing", async () => {
      const server = await addServer(engine, placement);
      const before = await onServer(engine);
      const names = ["a'b", "a`b", "a;b", "a--b", "a\u0000b", "x".repeat(200), "select"];
      for (const name of names) {
        for (const [url, body] of [
          ["/api/v1/databases", { serverId: server, name }],
          ["/api/v1/database-users", { serverId: server, name, ...hosts }],
        ] as const) {
          const r = await api("POST", url, body);
          expect([name, r.status, r.body.error?.details?.[0]?.field]).toEqual([name, 400, "name"]);
        }
      }
      expect(await onServer(engine)).toEqual(before);
      const listed = await api("GET", `/api/v1/databases?server=${server}`);
      expect(listed.body.items).toEqual([]);
    });
  });

  it("adopts an existing database and user without touching them; rotating makes the password known", async () => {
    const server = await addServer("mariadb", "local");
    await mariadb.sql(
      "CREATE DATABASE legacy; CREATE USER 'legacy_u'@'localhost' IDENTIFIED BY 'their-own-1'; GRANT ALL ON legacy.* TO 'legacy_u'@'localhost'",
    );
    const url = `/api/v1/database-servers/${server}`;
    const seen = await api("GET", `${url}/inventory`);
    expect(seen.status, JSON.stringify(seen.body)).toBe(200);
    expect(seen.body.databases).toContainEqual(
      expect.objectContaining({ name: "legacy", known: null }),
    );
    expect(seen.body.users).toContainEqual({ name: "legacy_u", hosts: ["localhost"], known: null });
    const missing = await api("POST", `${url}/adopt`, { databases: ["nothere"] });
    expect([missing.status, missing.body.error.details[0].field]).toEqual([400, "databases.0"]);
    const adopted = await api("POST", `${url}/adopt`, {
      databases: ["legacy"],
      users: ["legacy_u"],
    });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);
    expect(adopted.body.users[0]).toMatchObject({ adopted: true, hasPassword: false });
    expect(await logsIn("mariadb", "local", "legacy_u", "their-own-1", "legacy")).toBe(true);
    const again = await api("GET", `${url}/inventory`);
    expect(again.body.users).toContainEqual({
      name: "legacy_u",
      hosts: ["localhost"],
      known: adopted.body.users[0].id,
    });
    const unknown = await api("GET", `/api/v1/database-users/${adopted.body.users[0].id}/password`);
    expect(unknown.status).toBe(409);
    const rotated = await api("POST", `/api/v1/database-users/${adopted.body.users[0].id}/rotate`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(await logsIn("mariadb", "local", "legacy_u", rotated.body.password, "legacy")).toBe(
      true,
    );
    expect(await logsIn("mariadb", "local", "legacy_u", "their-own-1", "legacy")).toBe(false);
  });

  it("keeps each database's size with its history (the recurring task)", async () => {
    const server = await addServer("postgres", "local");
    const made = await api("POST", "/api/v1/databases", { serverId: server, name: "weighed" });
    expect(made.status).toBe(201);
    // the installation's hourly task (installed with the first super user), run now
    const { task } = await s.svc.engine.enqueue({ kind: "database.sizes", payload: {} });
    const row = await findTask(s.svc.db.db, task.id);
    if (row?.state !== "running" && row) await s.svc.engine.rerun(row);
    s.svc.engine.startWorker();
    const sizes = () => api("GET", `/api/v1/databases/${made.body.id}/sizes`);
    await expect.poll(async () => (await sizes()).body.items.length, { timeout: 90_000 }).toBe(1);
    const history = await sizes();
    expect(history.body.items[0].sizeBytes).toBeGreaterThan(0);
    const listed = await api("GET", `/api/v1/databases?server=${server}`);
    const item = listed.body.items.find((d: { id: string }) => d.id === made.body.id);
    expect(item.sizeBytes).toBe(history.body.items[0].sizeBytes);
    // the account's sum: every database of account A that was sized, today and now
    const all = await api("GET", `/api/v1/databases?account=${w.a}&limit=100`);
    const sum = all.body.items.reduce(
      (n: number, d: { sizeBytes: number | null }) => n + (d.sizeBytes ?? 0),
      0,
    );
    const account = await api(
      "GET",
      `/api/v1/accounts/${w.a}/database-sizes`,
      undefined,
      w.keys.reader,
    );
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ accountId: w.a, databases: all.body.items.length });
    expect(account.body.sizeBytes).toBe(sum);
    expect(account.body.days.at(-1)).toEqual({
      day: new Date().toISOString().slice(0, 10),
      sizeBytes: sum,
    });
    // nobody else's: another account's admin is told it does not exist
    const other = await api(
      "GET",
      `/api/v1/accounts/${w.a}/database-sizes`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(String(sum));
  }, 120_000);

  it("leaves no user and no row when a GRANT fails (PostgreSQL, on the node)", async () => {
    const server = await addServer("postgres", "local");
    const made = await api("POST", "/api/v1/databases", { serverId: server, name: "vanishing" });
    expect(made.status).toBe(201);
    // dropped behind Steward's back: the GRANT on it fails after the user was created
    await adminSql("postgres", "DROP DATABASE vanishing");
    const r = await api("POST", "/api/v1/database-users", {
      serverId: server,
      name: "orphan_pg",
      grants: [{ databaseId: made.body.id, level: { kind: "read-only" } }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error.message).toContain("vanishing");
    expect((await onServer("postgres")).users.map((u) => u.name)).not.toContain("orphan_pg");
    const rows = await api("GET", `/api/v1/database-users?server=${server}`);
    expect(rows.body.items).toEqual([]);
  });

  it("leaves no user and no row when a GRANT fails (MariaDB, external, no GRANT OPTION)", async () => {
    const made = await api("POST", "/api/v1/database-servers", {
      name: "granter",
      engine: "mariadb",
      accountId: w.a,
      saveAnyway: true,
      ...external("mariadb", "granter"),
    });
    // named: what it lacks of CREATE, DROP, CREATE USER and GRANT OPTION
    expect(made.body.test.problems.map((p: { privilege: string }) => p.privilege)).toEqual([
      "DROP",
      "GRANT OPTION",
    ]);
    const database = await api("POST", "/api/v1/databases", {
      serverId: made.body.id,
      name: "granted",
    });
    expect(database.status, JSON.stringify(database.body)).toBe(201);
    const r = await api("POST", "/api/v1/database-users", {
      serverId: made.body.id,
      name: "orphan_m",
      hosts: ["127.0.0.1"],
      grants: [{ databaseId: database.body.id, level: { kind: "all" } }],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body.error.message).not.toContain(PASSWORD);
    expect((await onServer("mariadb")).users.map((u) => u.name)).not.toContain("orphan_m");
    const rows = await api("GET", `/api/v1/database-users?server=${made.body.id}`);
    expect(rows.body.items).toEqual([]);
  });
});
