// The SQL console through the API on both dialects, against a real MariaDB (plain TCP) and
// PostgreSQL (TLS checked against a CA made here) reached by the panel as external servers:
// pages with column types and a cursor, read-only unless write mode is confirmed by an admin,
// the timeout, exports streamed as CSV and JSON, the history of one's own statements, an
// audit event per run (never the results), and bad input refused naming the field.
import type { ServerAccess } from "@steward/agent/databases";
import { createDatabase, createUser } from "@steward/agent/databases";
import { issueIdentity, makeCa } from "@steward/agent/testing";
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  dialects,
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../lib/ids.ts";
import { databaseConsoleCases } from "../../../testing/hostile-database-console-cases.ts";
import { hostileWrong } from "../../../testing/hostile-run.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";
import { insertDatabase, insertUser } from "../items-repo.ts";
import { insertServer } from "../repo.ts";

const ADMIN = "console-admin-1";
const OWN = "console-own-1";
let mariadb: MariadbServer;
let postgres: PostgresServer;
let ca: string;

const ITEMS = [
  [1, "pen"],
  [2, 'ink, "blue"'],
  [3, "pad"],
];
const columns = (engine: DatabaseEngine) => [
  { name: "id", type: engine === "mariadb" ? "LONG" : "int4" },
  { name: "name", type: engine === "mariadb" ? "VAR_STRING" : "varchar" },
];

const steps = { step: <T>(_: string, fn: () => Promise<T>) => fn(), onRollback: () => {} };

function place(engine: DatabaseEngine) {
  return engine === "mariadb"
    ? {
        kind: "tcp" as const,
        host: "127.0.0.1",
        port: mariadb.port,
        tls: { mode: "disable" as const, ca: null },
      }
    : {
        kind: "tcp" as const,
        host: "127.0.0.1",
        port: postgres.port,
        tls: { mode: "verify-full" as const, ca },
      };
}
const adminAccess = (engine: DatabaseEngine): ServerAccess => ({
  engine,
  admin: place(engine),
  credentials: { user: "admin", password: ADMIN },
  login: place(engine),
});

beforeAll(async () => {
  const authority = await makeCa("Console CA");
  ca = authority.ca;
  const tls = await issueIdentity(authority, "db.test", "server-and-client", ["127.0.0.1"]);
  const [m, p] = await Promise.all([startMariadb(), startPostgres({ tls, passwords: true })]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  mariadb = m;
  postgres = p;
  await mariadb.sql(
    `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${ADMIN}'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION`,
  );
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
  await client.end();
  const { streamStatement } = await import("@steward/agent/databases");
  for (const engine of ["mariadb", "postgres"] as const) {
    const access = adminAccess(engine);
    await createDatabase(steps, access, { name: "shop" });
    await createUser(
      steps,
      access,
      { name: "shop_u", password: OWN, hosts: ["127.0.0.1"], connectionLimit: null },
      [{ database: "shop", level: { kind: "all" } }],
    );
    for (const sql of [
      "CREATE TABLE items (id integer PRIMARY KEY, name varchar(40))",
      "INSERT INTO items VALUES (1, 'pen'), (2, 'ink, \"blue\"'), (3, 'pad')",
    ])
      await streamStatement(
        engine,
        place(engine),
        { user: "shop_u", password: OWN, database: "shop" },
        { sql, params: [], mode: "write", timeoutMs: 10_000 },
        { columns: () => {}, row: () => true },
      );
  }
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop()]));

describe.each(dialects())("SQL console API on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const ids = {} as Record<DatabaseEngine, string>;

  beforeAll(async () => {
    for (const engine of ["mariadb", "postgres"] as const) {
      const now = Date.now();
      const server = newId("dbs");
      const where = place(engine);
      await insertServer(s.svc.db.db, {
        id: server,
        account_id: w.a,
        name: `console ${engine}`,
        engine,
        placement: "external",
        host: where.host,
        port: where.port,
        admin_user: "admin",
        admin_password_sealed: s.svc.secrets.seal(ADMIN),
        tls_mode: where.tls.mode,
        tls_ca: where.tls.ca,
        created_at: now,
        updated_at: now,
      });
      ids[engine] = newId("dbd");
      const user = newId("dbu");
      await insertDatabase(s.svc.db.db, {
        id: ids[engine],
        server_id: server,
        account_id: w.a,
        engine,
        name: "shop",
        created_at: now,
        updated_at: now,
      });
      await insertUser(
        s.svc.db.db,
        {
          id: user,
          server_id: server,
          account_id: w.a,
          engine,
          name: "shop_u",
          password_sealed: s.svc.secrets.seal(OWN),
          created_at: now,
          updated_at: now,
        },
        [{ database_id: ids[engine], level: { kind: "all" } }],
      );
    }
  });

  const query = (
    engine: DatabaseEngine,
    body: Record<string, unknown>,
    key = w.keys.operator,
    suffix = "",
  ) => s.request("POST", `/api/v1/databases/${ids[engine]}/query${suffix}`, { key, body });

  describe.each(["mariadb", "postgres"] as const)("%s", (engine) => {
    it("answers a page with the columns' types, then the next one by its cursor", async () => {
      const first = await query(engine, {
        sql: "SELECT id, name FROM items ORDER BY id",
        limit: 2,
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({
        columns: columns(engine),
        rows: ITEMS.slice(0, 2),
        rowCount: 2,
        truncated: true,
      });
      const next = await query(engine, {
        sql: "SELECT id, name FROM items ORDER BY id",
        limit: 2,
        cursor: first.body.nextCursor,
      });
      expect(next.body).toMatchObject({ rows: [[3, "pad"]], truncated: false, nextCursor: null });
      const other = await query(engine, { sql: "SELECT 1", cursor: first.body.nextCursor });
      expect(other.status).toBe(400);
      expect(other.body.error.details[0].field).toBe("body.cursor");
    });

    it("refuses a write in read mode, and writes only when an admin confirms", async () => {
      const sql = "UPDATE items SET name = 'pencil' WHERE id = 1";
      const read = await query(engine, { sql });
      expect(read.status).toBe(400);
      expect(read.body.error.details[0]).toMatchObject({ field: "sql" });
      expect(read.body.error.details[0].message).toContain("UPDATE is not a read");
      const unconfirmed = await query(engine, { sql, mode: "write" }, w.keys.accountAdmin);
      expect(unconfirmed.body.error.details[0].field).toBe("body.confirm");
      const operator = await query(engine, { sql, mode: "write", confirm: true });
      expect(operator.status).toBe(403);
      const admin = await query(engine, { sql, mode: "write", confirm: true }, w.keys.accountAdmin);
      expect(admin.status, JSON.stringify(admin.body)).toBe(200);
      expect(admin.body).toMatchObject({ columns: [], rows: [], rowCount: 1, nextCursor: null });
      await query(
        engine,
        { sql: "UPDATE items SET name = 'pen' WHERE id = 1", mode: "write", confirm: true },
        w.keys.accountAdmin,
      );
    });

    it("stops a long statement at its timeout with a clear error", async () => {
      const sleep = engine === "mariadb" ? "SELECT SLEEP(60)" : "SELECT pg_sleep(60)";
      const got = await query(engine, { sql: sleep, timeoutSeconds: 1 });
      expect(got.status).toBe(400);
      expect(got.body.error.details[0]).toEqual({
        field: "sql",
        message: expect.stringContaining("ran longer than 1 s and was stopped"),
      });
    });

    it("exports the whole result as CSV and JSON, streamed", async () => {
      const sql = "SELECT id, name FROM items ORDER BY id";
      const csv = await fetch(`${s.url}/api/v1/databases/${ids[engine]}/query`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${w.keys.operator}`,
          "content-type": "application/json",
          accept: "text/csv",
        },
        body: JSON.stringify({ sql, limit: 1 }),
      });
      expect(csv.headers.get("content-type")).toContain("text/csv");
      expect(await csv.text()).toBe('id,name\r\n1,pen\r\n2,"ink, ""blue"""\r\n3,pad\r\n');
      const json = await query(engine, { sql }, w.keys.operator, "?format=json");
      expect(json.body).toEqual({ columns: columns(engine), rows: ITEMS });
      const bad = await query(
        engine,
        { sql: "SELECT nope FROM items" },
        w.keys.operator,
        "?format=csv",
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe("sql");
    });

    it("keeps one's own history and audits each run without its results", async () => {
      const marker = `SELECT 'history-${engine}-${dialect}' AS marker`;
      await query(engine, { sql: marker });
      const mine = await s.request("GET", `/api/v1/databases/${ids[engine]}/queries?limit=5`, {
        key: w.keys.operator,
      });
      expect(mine.status).toBe(200);
      expect(mine.body.items[0]).toMatchObject({
        sql: marker,
        mode: "read",
        outcome: "success",
        rowCount: 1,
      });
      const theirs = await s.request("GET", `/api/v1/databases/${ids[engine]}/queries`, {
        key: w.keys.accountAdmin,
      });
      expect(theirs.body.items.map((i: { sql: string }) => i.sql)).not.toContain(marker);
      const audit = await s.svc.db.db
        .selectFrom("audit_events")
        .selectAll()
        .where("target_id", "=", ids[engine])
        .where("action", "=", "database.query")
        .execute();
      const event = audit.find((e) => e.diff?.includes(`history-${engine}`));
      expect(JSON.parse(event?.diff ?? "{}")).toMatchObject({
        sql: marker,
        mode: "read",
        rowCount: 1,
      });
      expect(audit.some((e) => e.outcome === "failure")).toBe(true);
      expect(JSON.stringify(audit)).not.toContain('"pen"');
    });

    it("runs every template of the query library, its parameters bound", async () => {
      const library = await s.request("GET", `/api/v1/query-library?engine=${engine}`, {
        key: w.keys.reader,
      });
      const items: { id: string; params: { name: string }[]; runs: string }[] = library.body.items;
      expect(items.map((t) => t.id).sort()).toEqual([
        "create-read-only-user",
        "grants-of-user",
        "index-usage",
        "largest-tables",
        "locks",
        "running-queries",
        "slow-query-settings",
        "table-sizes",
      ]);
      // the admin's templates: console-admin-template.test.ts
      const templates = items.filter((t) => t.runs === "console");
      for (const t of templates) {
        const params = t.params.some((p) => p.name === "user") ? { user: "shop_u" } : {};
        const got = await query(engine, { template: t.id, params });
        expect([t.id, got.status, got.body.error]).toEqual([t.id, 200, undefined]);
      }
      const largest = await query(engine, { template: "largest-tables", params: { limit: 5 } });
      expect(largest.body.rows.flat()).toContain("items");
      const grants = await query(engine, {
        template: "grants-of-user",
        params: { user: "shop_u" },
      });
      expect(grants.body.rows.length).toBeGreaterThan(0);
      const nobody = await query(engine, {
        template: "grants-of-user",
        params: { user: "nobody" },
      });
      expect(nobody.body.rows).toEqual([]);
    });

    it("lets operators read, readers and strangers nothing", async () => {
      expect((await query(engine, { sql: "SELECT 1" }, w.keys.reader)).status).toBe(403);
      expect((await query(engine, { sql: "SELECT 1" }, w.keys.otherAdmin)).status).toBe(404);
      const history = await s.request("GET", `/api/v1/databases/${ids[engine]}/queries`, {
        key: w.keys.otherAdmin,
      });
      expect(history.status).toBe(404);
    });
  });

  it("refuses more than one statement naming sql", async () => {
    const got = await query("postgres", { sql: "SELECT 1; SELECT 2" });
    expect(got.status).toBe(400);
    expect(got.body.error.details[0].field).toBe("sql");
  });

  // the console's part of http/hostile-input.test.ts (which checks every route has cases)
  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    expect(await hostileWrong(s, w.keys.super, databaseConsoleCases(ids.postgres))).toEqual([]);
  }, 60_000);
});
