// The SQL console's statements against a real MariaDB and PostgreSQL, as a database's own
// user over TCP: results with column types, pages over a 1,000,000-row result read as a
// stream, values bound by the drivers, writes only in write mode, and every way out of read
// mode or the timeout refused by the check, by the server's read-only transaction, or by the
// driver (one statement only).
import type { DatabaseEngine } from "@steward/contracts/databases";
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { createDatabase, createUser, type ServerAccess } from "./manage.ts";
import { type ConsoleStatement, QueryError, queryPage, RUNNERS, streamStatement } from "./query.ts";
import type { Place } from "./session.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;
const PASSWORD = "console-pass-1";

const tcp = (engine: DatabaseEngine): Place => ({
  kind: "tcp",
  host: "127.0.0.1",
  port: engine === "mariadb" ? mariadb.port : postgres.port,
  tls: { mode: "disable", ca: null },
});
const admin = (engine: DatabaseEngine): ServerAccess =>
  engine === "mariadb"
    ? {
        engine,
        admin: { kind: "socket", path: mariadb.socket },
        credentials: { user: "root" },
        login: tcp(engine),
      }
    : {
        engine,
        admin: { kind: "socket", path: postgres.socketDir, port: postgres.port },
        credentials: { user: "steward" },
        login: tcp(engine),
      };

beforeAll(async () => {
  const [m, p] = await Promise.all([startMariadb(), startPostgres({ passwords: true })]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  mariadb = m;
  postgres = p;
  const config = parseConfig("/tmp", {
    nodeId: "n1",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
  });
  for (const engine of ["mariadb", "postgres"] as const) {
    const access = admin(engine);
    const made = await runOperation(
      {
        name: "test.console",
        run: async (ctx) => {
          for (const name of ["shop", "other"]) await createDatabase(ctx, access, { name });
          await createUser(
            ctx,
            access,
            {
              name: "shop_u",
              password: PASSWORD,
              hosts: ["127.0.0.1", "localhost"],
              connectionLimit: null,
            },
            [{ database: "shop", level: { kind: "all" } }],
          );
          await createUser(
            ctx,
            access,
            {
              name: "other_u",
              password: PASSWORD,
              hosts: ["127.0.0.1", "localhost"],
              connectionLimit: null,
            },
            [{ database: "other", level: { kind: "all" } }],
          );
        },
      },
      {},
      { config, requestId: "req-console" },
    );
    if (made.status !== "ok") throw new Error(JSON.stringify(made));
    for (const [user, database, sql] of [
      [
        "shop_u",
        "shop",
        "CREATE TABLE items (id integer PRIMARY KEY, name varchar(40), price decimal(8,2), added date)",
      ],
      [
        "shop_u",
        "shop",
        "INSERT INTO items VALUES (1, 'pen', 1.50, '2026-01-02'), (2, 'ink', 3.25, '2026-01-03'), (3, 'pad', 2.00, NULL)",
      ],
      ["other_u", "other", "CREATE TABLE secrets (id integer)"],
    ] as const)
      await streamStatement(
        engine,
        tcp(engine),
        { user, password: PASSWORD, database },
        write(sql),
        {
          columns: () => {},
          row: () => true,
        },
      );
  }
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop()]));

function write(sql: string): ConsoleStatement {
  return { sql, params: [], mode: "write", timeoutMs: 10_000 };
}
const read = (sql: string, params: unknown[] = [], timeoutMs = 10_000): ConsoleStatement => ({
  sql,
  params,
  mode: "read",
  timeoutMs,
});
const shop = { user: "shop_u", password: PASSWORD, database: "shop" };

describe.each(["mariadb", "postgres"] as const)("SQL console on %s", (engine) => {
  const page = (statement: ConsoleStatement, skip = 0, limit = 100) =>
    queryPage(engine, tcp(engine), shop, statement, { skip, limit });
  const failure = async (statement: ConsoleStatement) => {
    try {
      await page(statement);
    } catch (error) {
      if (error instanceof QueryError) return { kind: error.kind, message: error.message };
      throw error;
    }
    return null;
  };
  const count = async () =>
    (await page(read("SELECT count(*) FROM items"))).rows[0]?.[0]?.toString();

  it("answers columns with their types and the rows", async () => {
    const got = await page(read("SELECT id, name, price, added FROM items ORDER BY id"));
    expect(got.columns.map((c) => c.name)).toEqual(["id", "name", "price", "added"]);
    expect(got.columns.map((c) => c.type)).toEqual(
      engine === "mariadb"
        ? ["LONG", "VAR_STRING", "NEWDECIMAL", "DATE"]
        : ["int4", "varchar", "numeric", "date"],
    );
    expect(got.rows).toEqual([
      [1, "pen", "1.50", "2026-01-02"],
      [2, "ink", "3.25", "2026-01-03"],
      [3, "pad", "2.00", null],
    ]);
    expect(got).toMatchObject({ rowCount: 3, truncated: false });
  });

  it("pages through a 1,000,000-row result read as a stream", async () => {
    const sql =
      engine === "mariadb"
        ? "SELECT seq AS n FROM seq_1_to_1000000"
        : "SELECT n FROM generate_series(1, 1000000) AS n";
    const first = await page(read(sql), 0, 100);
    expect(first.rows).toHaveLength(100);
    expect(first).toMatchObject({ truncated: true, rowCount: 100 });
    expect(String(first.rows[0]?.[0])).toBe("1");
    const later = await page(read(sql), 500, 10);
    expect(later.rows.map((r) => String(r[0]))).toEqual(
      Array.from({ length: 10 }, (_, i) => String(501 + i)),
    );
  });

  it("binds parameters through the driver, never into the text", async () => {
    const hostile = "x'); DELETE FROM items; --";
    const got = await page(
      read(`SELECT ${engine === "mariadb" ? "?" : "$1::text"} AS v`, [hostile]),
    );
    expect(got.rows).toEqual([[hostile]]);
    expect(await count()).toBe("3");
  });

  it.each([
    ["INSERT INTO items VALUES (9, 'x', 1, NULL)", "INSERT is not a read"],
    ["UPDATE items SET price = 0", "UPDATE is not a read"],
    ["DROP TABLE items", "DROP is not a read"],
    ["CREATE TABLE sneaky (id integer)", "CREATE is not a read"],
    ["SET TRANSACTION READ WRITE", "SET is not a read"],
    ["COMMIT; DELETE FROM items", "one statement"],
    ["SET SESSION max_statement_time = 0", "SET is not a read"],
    ["SET statement_timeout = 0", "SET is not a read"],
    ["SELECT set_config('statement_timeout', '0', false)", "set_config"],
    ["SELECT 1; SELECT 2", "one statement"],
    ["/* hi */ select 1 ; ; delete from items", "one statement"],
    ["SELECT * INTO copy FROM items", "INTO"],
    [
      "/*!50000 DELETE FROM items */ SELECT 1",
      engine === "mariadb" ? "executable comments" : "INTO",
    ],
  ])("read mode refuses %s", async (sql, says) => {
    const got = await failure(read(sql));
    if (sql.startsWith("/*!") && engine === "postgres") {
      // PostgreSQL has no executable comments: the comment is skipped, the SELECT runs
      expect(got).toBeNull();
      return;
    }
    expect(got?.kind).toBe("refused");
    expect(got?.message).toContain(says);
    expect(await count()).toBe("3");
  });

  it("read mode's transaction refuses a write the check lets through", async () => {
    // run past the check: the server's read-only transaction is the second wall
    const sql =
      engine === "mariadb"
        ? "INSERT INTO items VALUES (9, 'x', 1, NULL)"
        : "WITH gone AS (DELETE FROM items RETURNING id) SELECT id FROM gone";
    const error = await RUNNERS[engine](tcp(engine), shop, read(sql), {
      columns: () => {},
      row: () => true,
    }).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/read.only/i);
    expect(await count()).toBe("3");
  });

  it("runs one statement only, even past the check", async () => {
    const error = await RUNNERS[engine](tcp(engine), shop, read("SELECT 1; DELETE FROM items"), {
      columns: () => {},
      row: () => true,
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(await count()).toBe("3");
  });

  it("stops a long statement at the timeout, with a clear error", async () => {
    const sleep = engine === "mariadb" ? "SELECT SLEEP(60)" : "SELECT pg_sleep(60)";
    const got = await failure(read(sleep, [], 1000));
    expect(got).toEqual({
      kind: "timeout",
      message: expect.stringContaining("ran longer than 1 s and was stopped"),
    });
  });

  it("does not let the user see another database", async () => {
    const got = await failure(read("SELECT * FROM other.secrets"));
    expect(got?.kind).toBe("sql");
    expect(got?.message).toMatch(engine === "mariadb" ? /denied/ : /cross-database|does not exist/);
    if (engine === "mariadb") {
      const listed = await page(read("SHOW DATABASES"));
      expect(listed.rows.flat()).not.toContain("other");
    }
  });

  it("writes in write mode and says how many rows changed", async () => {
    const got = await page(write("UPDATE items SET price = price WHERE id < 3"));
    expect(got.columns).toEqual([]);
    expect(got.rowCount).toBe(2);
    const inserted = await page(write("INSERT INTO items VALUES (4, 'cap', 0.10, NULL)"));
    expect(inserted.rowCount).toBe(1);
    expect(await count()).toBe("4");
    await page(write("DELETE FROM items WHERE id = 4"));
  });

  it("names a SQL error in the server's words", async () => {
    const got = await failure(read("SELECT nope FROM items"));
    expect(got?.kind).toBe("sql");
    expect(got?.message).toMatch(/nope/);
  });
});
