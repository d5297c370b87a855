// Property test: for many random access configurations, the SQL filter of list queries
// keeps exactly the rows the policy function allows, on both dialects.
import { type Role, roles } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { type Expression, type SqlBool, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db/open.ts";
import { describeConfig, randomConfig } from "../testing/random-grants.ts";
import { openTestDb } from "../testing/test-db.ts";
import { allows } from "./policy.ts";
import { visibleCover, visibleWhere } from "./sql-filter.ts";

const RUNS = 150;
/** STEWARD_TEST_SEED replays one configuration (the seed printed by a failure). */
const replay = process.env.STEWARD_TEST_SEED;
const seeds = replay ? [Number(replay)] : Array.from({ length: RUNS }, (_, i) => 1000 + i);
const needs = roles.filter((r): r is Exclude<Role, "none"> => r !== "none");

const accounts = Array.from({ length: 8 }, (_, i) => `acc_${i + 1}`);
/** resources "r1".."r16", two per account */
const resources = Array.from({ length: 16 }, (_, i) => ({
  id: `r${i + 1}`,
  account: accounts[i % accounts.length] as string,
}));

const sorted = (xs: string[]) => [...xs].sort();

describe.each(dialects())("SQL filter agrees with the policy on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    const now = Date.now();
    await db.db
      .insertInto("accounts")
      .values(accounts.map((id) => ({ id, slug: id, name: id, created_at: now, updated_at: now })))
      .execute();
    await sql`create table test_resources (id text primary key, account_id text not null)`.execute(
      db.db,
    );
    await db.db
      .withTables<{ test_resources: { id: string; account_id: string } }>()
      .insertInto("test_resources")
      .values(resources.map((r) => ({ id: r.id, account_id: r.account })))
      .execute();
  });
  afterAll(() => db?.close());

  it("on accounts", async () => {
    for (const seed of seeds) {
      const c = randomConfig(seed, accounts);
      for (const need of needs) {
        const rows = await db.db
          .selectFrom("accounts")
          .select("id")
          .where(visibleWhere(c.actor, c.grants, need, { account: "accounts.id" }))
          .execute();
        const expected = accounts.filter((accountId) =>
          allows(c.actor, c.grants, { kind: "account", accountId }, need),
        );
        expect(sorted(rows.map((r) => r.id)), `${need} ${describeConfig(c)}`).toEqual(expected);
      }
    }
  });

  it("on resources", async () => {
    const cols = {
      account: "test_resources.account_id",
      resource: { type: "site", id: "test_resources.id" },
    };
    const ids = resources.map((r) => r.id);
    for (const seed of seeds) {
      const c = randomConfig(seed, accounts, ids);
      for (const need of needs) {
        const rows = await db.db
          .withTables<{ test_resources: { id: string; account_id: string } }>()
          .selectFrom("test_resources")
          .select("id")
          .where(visibleWhere(c.actor, c.grants, need, cols))
          .execute();
        const expected = resources
          .filter((r) =>
            allows(
              c.actor,
              c.grants,
              { kind: "resource", type: "site", id: r.id, accountId: r.account },
              need,
            ),
          )
          .map((r) => r.id);
        expect(sorted(rows.map((r) => r.id)), `${need} ${describeConfig(c)}`).toEqual(
          sorted(expected),
        );
      }
    }
  });

  it("on rows of several resource types, and account-level rows, in one table", async () => {
    type Mixed = { id: string; type: string | null; res: string | null; account_id: string };
    const table = db.db.withTables<{ test_mixed: Mixed }>();
    const rows: Mixed[] = resources.flatMap((r) => [
      { id: `site-${r.id}`, type: "site", res: r.id, account_id: r.account },
      { id: `database-${r.id}`, type: "database", res: r.id, account_id: r.account },
      { id: `none-${r.id}`, type: null, res: null, account_id: r.account },
    ]);
    await sql`create table test_mixed (id text primary key, type text, res text, account_id text not null)`.execute(
      db.db,
    );
    await table.insertInto("test_mixed").values(rows).execute();
    const cols = {
      account: "test_mixed.account_id",
      resource: { typeColumn: "test_mixed.type", id: "test_mixed.res" },
    };
    const ids = resources.map((r) => r.id);
    for (const seed of seeds) {
      const c = randomConfig(seed, accounts, ids);
      for (const need of needs) {
        const got = await table
          .selectFrom("test_mixed")
          .select("id")
          .where(visibleWhere(c.actor, c.grants, need, cols))
          .execute();
        const expected = rows
          .filter((r) =>
            allows(
              c.actor,
              c.grants,
              r.type && r.res
                ? { kind: "resource", type: r.type, id: r.res, accountId: r.account_id }
                : { kind: "account", accountId: r.account_id },
              need,
            ),
          )
          .map((r) => r.id);
        expect(sorted(got.map((r) => r.id)), `${need} ${describeConfig(c)}`).toEqual(
          sorted(expected),
        );
      }
    }
  });

  it("draws configurations that keep all, some and none of the rows", () => {
    const seen = { all: 0, some: 0, none: 0 };
    for (const seed of seeds) {
      const c = randomConfig(seed, accounts);
      for (const need of needs) {
        const n = accounts.filter((accountId) =>
          allows(c.actor, c.grants, { kind: "account", accountId }, need),
        ).length;
        seen[n === 0 ? "none" : n === accounts.length ? "all" : "some"]++;
      }
    }
    if (!replay) {
      expect(seen.some).toBeGreaterThan(RUNS / 2);
      expect(seen.all).toBeGreaterThan(RUNS / 5);
      expect(seen.none).toBeGreaterThan(RUNS / 5);
    }
  });

  it("its cover (one walk per account or resource) holds every row it keeps", async () => {
    type Row = { id: string; type: string | null; res: string | null; account_id: string };
    const table = db.db.withTables<{ test_cover: Row }>();
    await sql`create table test_cover (id text primary key, type text, res text, account_id text not null)`.execute(
      db.db,
    );
    await table
      .insertInto("test_cover")
      .values(
        resources.flatMap((r) => [
          { id: `site-${r.id}`, type: "site", res: r.id, account_id: r.account },
          { id: `none-${r.id}`, type: null, res: null, account_id: r.account },
        ]),
      )
      .execute();
    const cols = {
      account: "test_cover.account_id",
      resource: { typeColumn: "test_cover.type", id: "test_cover.res" },
    };
    const ids = resources.map((r) => r.id);
    const kept = async (where: Expression<SqlBool>) =>
      sorted(
        (await table.selectFrom("test_cover").select("id").where(where).execute()).map((r) => r.id),
      );
    for (const seed of seeds) {
      const c = randomConfig(seed, accounts, ids);
      for (const need of needs) {
        const visible = visibleWhere(c.actor, c.grants, need, cols);
        const cover = visibleCover(c.actor, c.grants, need, cols);
        if (cover === null) continue;
        const walked = new Set<string>();
        for (const walk of cover)
          for (const id of await kept(sql<SqlBool>`(${visible} and ${walk})`)) walked.add(id);
        expect(sorted([...walked]), `${need} ${describeConfig(c)}`).toEqual(await kept(visible));
      }
    }
  });
});
