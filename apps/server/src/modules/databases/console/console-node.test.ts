// The SQL console of a node's own server, through a real enrolled agent (the operation
// database.query) whose agent.json points at a hermetic MariaDB and PostgreSQL: the statement
// runs on the node as the database's own user (MariaDB through the socket, PostgreSQL at the
// login host), never the admin socket. Read, paging by the cursor, read-only refusal of writes
// and of every way out of read mode, write mode, the timeout, history and audit, and another
// account's database out of reach (through the API and on the server).
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseConsoleCases } from "../../../testing/hostile-database-console-cases.ts";
import { hostileWrong } from "../../../testing/hostile-run.ts";
import { type EnrolledNode, enrollNode, nodeDatabases } from "../../../testing/real-node.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;

beforeAll(async () => {
  const [m, p] = await Promise.all([startMariadb(), startPostgres({ passwords: true })]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  [mariadb, postgres] = [m, p];
  // the admins of the same servers as external ones (reached over TCP through the node)
  await mariadb.sql(
    `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${ADMIN}'; GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION`,
  );
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
  await client.end();
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop()]));

const ENGINES = ["mariadb", "postgres"] as const;
const ADMIN = "console-node-admin-1";
const BIG = 2500;

describe("SQL console of a node's own server", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let node: EnrolledNode;
  /** account A's database `shop` and account B's `vault`, per engine */
  const ids = {} as Record<DatabaseEngine, { shop: string; vault: string }>;

  const api = (method: string, url: string, body: unknown, key: string) =>
    s.request(method, url, { key, body });
  const query = (engine: DatabaseEngine, body: Record<string, unknown>, key = w.keys.operator) =>
    api("POST", `/api/v1/databases/${ids[engine].shop}/query`, body, key);
  const write = (
    engine: DatabaseEngine,
    sql: string,
    id = ids[engine].shop,
    key = w.keys.accountAdmin,
  ) => api("POST", `/api/v1/databases/${id}/query`, { sql, mode: "write", confirm: true }, key);

  /** a database with a user of its own in `account`, on the node's server of that account */
  async function made(
    engine: DatabaseEngine,
    account: string,
    key: string,
    name: string,
    where: Record<string, unknown> = { placement: "on-node", nodeId: node.id },
  ) {
    const server = await api(
      "POST",
      "/api/v1/database-servers",
      { name: `${name}-${engine}`, engine, accountId: account, ...where },
      key,
    );
    expect(server.status, JSON.stringify(server.body)).toBe(201);
    const database = await api(
      "POST",
      "/api/v1/databases",
      { serverId: server.body.id, name },
      key,
    );
    expect(database.status, JSON.stringify(database.body)).toBe(201);
    const user = await api(
      "POST",
      "/api/v1/database-users",
      {
        serverId: server.body.id,
        name: `${name}_u`,
        grants: [{ databaseId: database.body.id, level: { kind: "all" } }],
        ...(engine === "mariadb" && where.placement === "external" ? { hosts: ["127.0.0.1"] } : {}),
      },
      key,
    );
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    return database.body.id as string;
  }

  beforeAll(async () => {
    node = await enrollNode(s, w.keys.super, {
      name: "console-node",
      listen: "127.0.0.1",
      agentJson: {
        databases: nodeDatabases(mariadb, postgres),
      },
    });
    for (const engine of ENGINES) {
      ids[engine] = {
        shop: await made(engine, w.a, w.keys.accountAdmin, "shop"),
        vault: await made(engine, w.b, w.keys.otherAdmin, "vault"),
      };
      const series =
        engine === "mariadb"
          ? `SELECT seq AS id FROM seq_1_to_${BIG}`
          : `SELECT g AS id FROM generate_series(1, ${BIG}) g`;
      for (const [sql, id, key] of [
        [
          "CREATE TABLE items (id integer PRIMARY KEY, name varchar(40))",
          ids[engine].shop,
          w.keys.accountAdmin,
        ],
        [
          "INSERT INTO items VALUES (1, 'pen'), (2, 'ink'), (3, 'pad')",
          ids[engine].shop,
          w.keys.accountAdmin,
        ],
        [`CREATE TABLE big AS ${series}`, ids[engine].shop, w.keys.accountAdmin],
        ["CREATE TABLE secrets (v varchar(40))", ids[engine].vault, w.keys.otherAdmin],
        ["INSERT INTO secrets VALUES ('b-only')", ids[engine].vault, w.keys.otherAdmin],
      ] as const) {
        const done = await write(engine, sql, id, key);
        expect(done.status, `${sql}: ${JSON.stringify(done.body)}`).toBe(200);
      }
    }
  }, 180_000);
  afterAll(() => node?.close());

  describe.each(ENGINES)("%s", (engine) => {
    it("runs as the database's own user and answers columns with their types", async () => {
      const who =
        engine === "mariadb" ? "SELECT CURRENT_USER() AS who" : "SELECT current_user AS who";
      const got = await query(engine, { sql: who });
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      expect(String(got.body.rows[0][0])).toMatch(/^shop_u(@localhost)?$/);
      const items = await query(engine, { sql: "SELECT id, name FROM items ORDER BY id" });
      expect(items.body).toMatchObject({
        columns: [
          { name: "id", type: engine === "mariadb" ? "LONG" : "int4" },
          { name: "name", type: engine === "mariadb" ? "VAR_STRING" : "varchar" },
        ],
        rows: [
          [1, "pen"],
          [2, "ink"],
          [3, "pad"],
        ],
        truncated: false,
        nextCursor: null,
      });
    });

    it("pages a large result by its cursor", async () => {
      const sql = "SELECT id FROM big ORDER BY id";
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 3; page++) {
        const got = await query(engine, { sql, limit: 1000, ...(cursor ? { cursor } : {}) });
        expect(got.status, JSON.stringify(got.body)).toBe(200);
        seen.push(...got.body.rows.map((r: unknown[]) => Number(r[0])));
        cursor = got.body.nextCursor ?? undefined;
        expect(got.body.truncated).toBe(page < 2);
      }
      expect(cursor).toBeUndefined();
      expect(seen).toEqual(Array.from({ length: BIG }, (_, i) => i + 1));
    });

    it("ends a page of wide rows before the agent's answer grows too large, the cursor after it", async () => {
      const sql = "SELECT id, REPEAT('x', 5000) AS pad FROM big ORDER BY id";
      const first = await query(engine, { sql, limit: 400 });
      expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(200);
      const got = first.body.rows.length;
      expect(got).toBeGreaterThan(100);
      expect(got).toBeLessThan(400);
      expect(first.body.truncated).toBe(true);
      const next = await query(engine, { sql, limit: 1, cursor: first.body.nextCursor });
      expect(Number(next.body.rows[0][0])).toBe(got + 1);
    });

    it("refuses writes and every way out of read mode, changing nothing", async () => {
      const tries = [
        "DELETE FROM items",
        "COMMIT; DROP TABLE items",
        "SET TRANSACTION READ WRITE",
        engine === "mariadb"
          ? "SET SESSION max_statement_time = 0"
          : "SET SESSION statement_timeout = 0",
        engine === "mariadb"
          ? "/*!50000 DROP TABLE items */ SELECT 1"
          : "SELECT set_config('transaction_read_only', 'off', false)",
        ...(engine === "postgres"
          ? ["WITH gone AS (DELETE FROM items RETURNING id) SELECT id FROM gone"]
          : []),
      ];
      for (const sql of tries) {
        const got = await query(engine, { sql });
        expect([sql, got.status, got.body.error?.details?.[0]?.field]).toEqual([sql, 400, "sql"]);
      }
      const still = await query(engine, { sql: "SELECT count(*) FROM items" });
      expect(Number(still.body.rows[0][0])).toBe(3);
    });

    it("writes in write mode, confirmed by the account's admin only", async () => {
      const sql = "UPDATE items SET name = 'pencil' WHERE id = 1";
      expect((await query(engine, { sql, mode: "write", confirm: true })).status).toBe(403);
      const done = await write(engine, sql);
      expect(done.body).toMatchObject({ columns: [], rows: [], rowCount: 1 });
      const read = await query(engine, { sql: "SELECT name FROM items WHERE id = 1" });
      expect(read.body.rows).toEqual([["pencil"]]);
      await write(engine, "UPDATE items SET name = 'pen' WHERE id = 1");
    });

    it("stops a long statement at its timeout", async () => {
      const sleep = engine === "mariadb" ? "SELECT SLEEP(60)" : "SELECT pg_sleep(60)";
      const got = await query(engine, { sql: sleep, timeoutSeconds: 1 });
      expect(got.status).toBe(400);
      expect(got.body.error.details[0]).toEqual({
        field: "sql",
        message: expect.stringContaining("ran longer than 1 s and was stopped"),
      });
    });

    it("keeps another account's database out of reach", async () => {
      const theirs = await api(
        "POST",
        `/api/v1/databases/${ids[engine].vault}/query`,
        { sql: "SELECT v FROM secrets" },
        w.keys.accountAdmin,
      );
      expect(theirs.status).toBe(404);
      expect(JSON.stringify(theirs.body)).not.toContain("vault");
      // on the server: the user of shop has no right on vault
      const across = await query(engine, {
        sql:
          engine === "mariadb"
            ? "SELECT v FROM vault.secrets"
            : "SELECT v FROM vault.public.secrets",
      });
      expect(across.status).toBe(400);
      expect(JSON.stringify(across.body)).not.toContain("b-only");
    });

    it("keeps the history and audits each run, as for an external server", async () => {
      const marker = `SELECT 'node-${engine}' AS marker`;
      expect((await query(engine, { sql: marker })).status).toBe(200);
      const mine = await s.request("GET", `/api/v1/databases/${ids[engine].shop}/queries?limit=3`, {
        key: w.keys.operator,
      });
      expect(mine.body.items[0]).toMatchObject({
        sql: marker,
        mode: "read",
        outcome: "success",
        rowCount: 1,
      });
      const audit = await s.svc.db.db
        .selectFrom("audit_events")
        .selectAll()
        .where("target_id", "=", ids[engine].shop)
        .where("action", "=", "database.query")
        .execute();
      expect(audit.some((e) => e.diff?.includes(`node-${engine}`))).toBe(true);
      expect(audit.some((e) => e.outcome === "failure")).toBe(true);
    });

    it("refuses an export through the node, saying to page instead", async () => {
      const got = await s.request(
        "POST",
        `/api/v1/databases/${ids[engine].shop}/query?format=csv`,
        {
          key: w.keys.operator,
          body: { sql: "SELECT id FROM items" },
        },
      );
      expect(got.status).toBe(409);
      expect(got.body.error.message).toContain("page through it");
    });
  });

  it.each(ENGINES)("runs on %s as an external server reached through the node", async (engine) => {
    const id = await made(engine, w.a, w.keys.accountAdmin, "remote", {
      placement: "external",
      host: "127.0.0.1",
      port: engine === "mariadb" ? mariadb.port : postgres.port,
      adminUser: "admin",
      adminPassword: ADMIN,
      tls: { mode: "disable" },
      viaNodeId: node.id,
    });
    const who =
      engine === "mariadb" ? "SELECT CURRENT_USER() AS who" : "SELECT current_user AS who";
    const got = await api("POST", `/api/v1/databases/${id}/query`, { sql: who }, w.keys.operator);
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    expect(String(got.body.rows[0][0])).toMatch(/^remote_u(@127\.0\.0\.1)?$/);
    const refused = await api(
      "POST",
      `/api/v1/databases/${id}/query`,
      { sql: "CREATE TABLE t (id integer)" },
      w.keys.operator,
    );
    expect(refused.status).toBe(400);
  });

  it("refuses every hostile value naming the field, and writes nothing", async () => {
    expect(await hostileWrong(s, w.keys.super, databaseConsoleCases(ids.postgres.shop))).toEqual(
      [],
    );
  }, 60_000);
});
