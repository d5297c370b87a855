import { dialects } from "@steward/testkit";
import { type SqlBool, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/open.ts";
import { openTestDb } from "../testing/test-db.ts";
import { keyset } from "./keyset.ts";
import { countOfWalks, pageOfWalks, pageOfWalksByIds } from "./walks.ts";

describe.each(dialects())("walks on %s", (dialect) => {
  let db: Db;
  const ids = ["acc_a", "acc_b", "acc_c"];
  const walk = (id: string) => sql<SqlBool>`id = ${id}`;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    await db.db
      .insertInto("accounts")
      .values(ids.map((id) => ({ id, slug: id, name: id, created_at: 1, updated_at: 1 })))
      .execute();
  });
  afterAll(() => db?.close());

  it("counts each row once however many walks hold it, in one statement when they do not overlap", async () => {
    const rows = db.db.selectFrom("accounts").where("id", "in", ids);
    expect(await countOfWalks(db.db, null, rows)).toBe(3);
    expect(await countOfWalks(db.db, [], rows)).toBe(0);
    expect(await countOfWalks(db.db, [walk("acc_a")], rows)).toBe(1);
    expect(await countOfWalks(db.db, [walk("acc_a"), walk("acc_b")], rows)).toBe(2);
    // a resource within an account: the same row on two walks
    expect(await countOfWalks(db.db, [walk("acc_a"), walk("acc_a"), walk("acc_c")], rows)).toBe(2);
    expect(await countOfWalks(db.db, [walk("nobody")], rows)).toBe(0);
  });

  it("merges the walks' pages in order, each row once", async () => {
    const page = db.db.selectFrom("accounts").select("id").orderBy("id", "desc").limit(2);
    const walks = [walk("acc_a"), walk("acc_c"), walk("acc_a")];
    const merged = await pageOfWalks(db.db, walks, 2, page);
    expect(merged.map((r) => r.id)).toEqual(["acc_c", "acc_a"]);
    expect((await pageOfWalks(db.db, [walk("acc_b")], 2, page)).map((r) => r.id)).toEqual([
      "acc_b",
    ]);
    expect(await pageOfWalks(db.db, [], 2, page)).toEqual([]);
    expect((await pageOfWalks(db.db, null, 5, page)).length).toBe(2);
  });

  it("reads the walks' ids, then the page's rows by id: whole rows, in order, each once, the page's conditions kept", async () => {
    const page = db.db.selectFrom("accounts").selectAll().orderBy("id", "desc").limit(2);
    const walks = [walk("acc_a"), walk("acc_c"), walk("acc_a"), walk("acc_b")];
    const rows = await pageOfWalksByIds(db.db, walks, 2, page);
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      ["acc_c", "acc_c"],
      ["acc_b", "acc_b"],
    ]);
    const notC = page.where("slug", "!=", "acc_c");
    expect((await pageOfWalksByIds(db.db, walks, 2, notC)).map((r) => r.id)).toEqual([
      "acc_b",
      "acc_a",
    ]);
    expect(await pageOfWalksByIds(db.db, [walk("nobody"), walk("none")], 2, page)).toEqual([]);
    // one walk or none: one statement, as pageOfWalks
    expect((await pageOfWalksByIds(db.db, [walk("acc_a")], 2, page)).map((r) => r.slug)).toEqual([
      "acc_a",
    ]);
    expect((await pageOfWalksByIds(db.db, null, 5, page)).length).toBe(2);
  });

  it("reads a sorted list's keys (id and sort key) walk by walk, then its rows: pages in the sort's order, cursors included", async () => {
    const named = { acc_x1: "zulu", acc_x2: "alpha", acc_x3: "mike", acc_x4: "bravo" };
    await db.db
      .insertInto("accounts")
      .values(
        Object.entries(named).map(([id, name]) => ({
          id,
          slug: id,
          name,
          created_at: 1,
          updated_at: 1,
        })),
      )
      .execute();
    const order = keyset("accounts.id", { name: { sql: "accounts.name" } });
    // acc_x4 is on no walk (not seen); acc_x1 on two
    const walks = ["acc_x1", "acc_x2", "acc_x3", "acc_x1"].map(walk);
    const pageAfter = async (sort: string, cursor?: string) => {
      const w = order(sort, cursor);
      const q = w.apply(db.db.selectFrom("accounts").selectAll()).limit(3);
      const rows = await pageOfWalksByIds(db.db, walks, 3, q, w);
      return w.page(rows, 2, (r) => `${r.name}/${r.slug}`);
    };
    const first = await pageAfter("-name");
    expect(first.items).toEqual(["zulu/acc_x1", "mike/acc_x3"]);
    // the cursor carries the sort, the last row's key and id
    const cursor = Buffer.from(first.nextCursor ?? "", "base64url").toString("utf8");
    expect(JSON.parse(cursor)).toEqual(["name", "mike", "acc_x3"]);
    const second = await pageAfter("-name", first.nextCursor ?? undefined);
    expect(second).toEqual({ items: ["alpha/acc_x2"], nextCursor: null });
    expect((await pageAfter("name")).items).toEqual(["alpha/acc_x2", "mike/acc_x3"]);
  });
});
