import { dialects } from "@steward/testkit";
import { type KyselyPlugin, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/open.ts";
import { openTestDb } from "../testing/test-db.ts";
import { namesById, namesIn } from "./names.ts";

/** Counts the statements sent through it. */
class Statements implements KyselyPlugin {
  count = 0;
  transformQuery(args: Parameters<KyselyPlugin["transformQuery"]>[0]) {
    this.count++;
    return args.node;
  }
  async transformResult(args: Parameters<KyselyPlugin["transformResult"]>[0]) {
    return args.result;
  }
}

describe.each(dialects())("names on %s", (dialect) => {
  let db: Db;
  const accounts = namesById("accounts", "name");
  const slugs = namesById("accounts", "slug", sql<string | null>`slug`);
  beforeAll(async () => {
    db = await openTestDb(dialect);
    await db.db
      .insertInto("accounts")
      .values(
        [
          ["acc_a", "a", "Alpha"],
          ["acc_b", "b", `quote ' and "double"; -- not a comment`],
        ].map(([id, slug, name]) => ({
          id: id as string,
          slug: slug as string,
          name: name as string,
          created_at: 1,
          updated_at: 1,
        })),
      )
      .execute();
  });
  afterAll(() => db?.close());

  it("reads every part in one statement, each part's rows apart", async () => {
    const statements = new Statements();
    const k = db.db.withPlugin(statements);
    const [first, second, third] = await namesIn(k, [
      accounts.part(["acc_a", "acc_b", "acc_a", "gone"]),
      slugs.part(["acc_b"]),
      accounts.part(["acc_b"]),
    ]);
    expect(statements.count).toBe(1);
    const byId = (rows: typeof first) => rows?.map((r) => [r.id, r.name, r.extra]).sort();
    expect(byId(first)).toEqual([
      ["acc_a", "Alpha", null],
      ["acc_b", `quote ' and "double"; -- not a comment`, null],
    ]);
    expect(byId(second)).toEqual([["acc_b", "b", "b"]]);
    expect(byId(third)).toEqual([["acc_b", `quote ' and "double"; -- not a comment`, null]]);
    expect(await namesIn(k, [])).toEqual([]);
    expect(statements.count).toBe(1);
  });

  it("takes ids as values: hostile ones name nothing and change nothing", async () => {
    const hostile = ["' or 1=1 --", "acc_a'; delete from accounts; --", "`acc_a`", "acc_a\n"];
    expect(await accounts.of(db.db, hostile)).toEqual(new Map());
    expect(await accounts.of(db.db, [])).toEqual(new Map());
    expect(await accounts.of(db.db, ["acc_a"])).toEqual(new Map([["acc_a", "Alpha"]]));
    const left = await db.db.selectFrom("accounts").select("id").execute();
    expect(left.map((r) => r.id).sort()).toEqual(["acc_a", "acc_b"]);
  });
});
