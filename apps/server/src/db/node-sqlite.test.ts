// The SQLite driver on a real database file: its one connection goes to callers in the
// order they asked, a burst of hundreds of queries included, and a transaction keeps it to
// itself across awaits (queries sent meanwhile run after it, not inside it); prepared
// statements are kept for reuse, a batch's (more than MAX_CACHED_PARAMETERS values) are not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kyselySqlite, MAX_CACHED_PARAMETERS } from "./node-sqlite.ts";
import { type Db, openSqlite } from "./open.ts";

describe("node:sqlite driver", () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "steward-sqlite-"));
    db = openSqlite(join(dir, "t.db"));
    await sql`create table t (id integer primary key, who text not null)`.execute(db.db);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves a burst of 500 queries and transactions in arrival order", async () => {
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        (i % 5 === 0
          ? db.db.transaction().execute(async (trx) => {
              await sql`insert into t (who) values (${`tx${i}`})`.execute(trx);
              return sql`select count(*) as n from t`.execute(trx);
            })
          : sql`select ${i} as i`.execute(db.db)
        ).then(() => order.push(i)),
      ),
    );
    expect(order).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("keeps other queries out of an open transaction, even across a real wait", async () => {
    await sql`delete from t`.execute(db.db);
    let outside: Promise<unknown> = Promise.resolve();
    const tx = db.db.transaction().execute(async (trx) => {
      await sql`insert into t (who) values ('inside')`.execute(trx);
      // another caller writes while this transaction waits on a timer
      outside = sql`insert into t (who) values ('outside')`.execute(db.db);
      await new Promise((r) => setTimeout(r, 50));
      throw new Error("roll back");
    });
    await expect(tx).rejects.toThrow("roll back");
    await outside;
    const rows = await sql<{ who: string }>`select who from t`.execute(db.db);
    expect(rows.rows.map((r) => r.who)).toEqual(["outside"]);
  });

  it("reuses a prepared statement, but prepares a batch's afresh each time (not kept)", async () => {
    const raw = new DatabaseSync(join(dir, "t.db"));
    try {
      const driver = kyselySqlite(raw);
      const small = "select who from t where id = ?";
      expect(driver.prepare(small)).toBe(driver.prepare(small));
      const rows = (n: number) =>
        `insert into t (who) values ${Array.from({ length: n }, () => "(?)").join(", ")}`;
      const atLimit = rows(MAX_CACHED_PARAMETERS);
      expect(driver.prepare(atLimit)).toBe(driver.prepare(atLimit));
      const batch = rows(MAX_CACHED_PARAMETERS + 1);
      const first = driver.prepare(batch);
      expect(driver.prepare(batch)).not.toBe(first);
      // the small statement stayed cached, and the batch runs as any other
      expect(driver.prepare(small)).toBe(driver.prepare(small));
      await sql`delete from t`.execute(db.db);
      first.run(Array.from({ length: MAX_CACHED_PARAMETERS + 1 }, (_, i) => `b${i}`));
      const count = await sql<{ n: number }>`select count(*) as n from t`.execute(db.db);
      expect(Number(count.rows[0]?.n)).toBe(MAX_CACHED_PARAMETERS + 1);
    } finally {
      raw.close();
    }
  });

  it("reads rows as plain objects of their columns, and a statement kept across a schema change reads the new columns", async () => {
    const raw = new DatabaseSync(join(dir, "t.db"));
    const other = new DatabaseSync(join(dir, "t.db"));
    try {
      raw.exec("create table shapes (id integer primary key, name text, size real, data blob)");
      raw.exec("insert into shapes values (1, 'one', 1.5, x'0102'), (2, null, null, null)");
      const driver = kyselySqlite(raw);
      const all = "select * from shapes order by id";
      const rows = driver.prepare(all).all([]) as Record<string, unknown>[];
      expect(rows).toEqual([
        { id: 1, name: "one", size: 1.5, data: new Uint8Array([1, 2]) },
        { id: 2, name: null, size: null, data: null },
      ]);
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
      // an alias, a repeated name (the last wins, as node:sqlite's objects), iterate
      const named = driver.prepare("select id as a, name as a, 'x' as b from shapes where id = ?");
      expect(named.all([1])).toEqual([{ a: "one", b: "x" }]);
      expect([...named.iterate([1])]).toEqual([{ a: "one", b: "x" }]);
      // a row's object is made by a generated literal: any name stays a name, never code
      const odd = [
        '"}); throw 1; ({"',
        "a\\b",
        "line\nbreak",
        "7",
        "constructor",
        "é ✓",
        "`$" + "{x}`",
      ];
      const aliases = odd.map((name, i) => `${i} as "${name.replaceAll('"', '""')}"`).join(", ");
      const [row] = driver.prepare(`select ${aliases}`).all([]) as Record<string, unknown>[];
      expect(Object.entries(row ?? {})).toEqual(
        expect.arrayContaining(odd.map((name, i) => [name, i])),
      );
      expect(Object.keys(row ?? {})).toHaveLength(odd.length);
      // a schema change through the driver: the statements kept are prepared again
      driver.prepare("alter table shapes add column color text").run([]);
      expect(driver.prepare(all).all([])).toEqual([
        { id: 1, name: "one", size: 1.5, data: new Uint8Array([1, 2]), color: null },
        { id: 2, name: null, size: null, data: null, color: null },
      ]);
      // …and through another connection: SQLite prepares the statement again, its rows follow
      other.exec("alter table shapes add column weight integer default 7");
      expect(driver.prepare(all).all([])[0]).toEqual({
        id: 1,
        name: "one",
        size: 1.5,
        data: new Uint8Array([1, 2]),
        color: null,
        weight: 7,
      });
      // a write answers its changes, as before
      expect(driver.prepare("update shapes set color = ?").run(["red"])).toMatchObject({
        changes: 2,
      });
    } finally {
      other.close();
      raw.close();
    }
  });
});
