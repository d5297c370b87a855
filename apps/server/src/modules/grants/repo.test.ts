import type { Role } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/open.ts";
import { pageOf } from "../../lib/sql.ts";
import { insertTestUser, openTestDb } from "../../testing/test-db.ts";
import {
  deleteGrantsOfPrincipal,
  deleteGrantsOnScope,
  findGrant,
  type Grant,
  type GrantKey,
  listGrants,
  upsertGrant,
} from "./repo.ts";

const user = (id: string, scopeType: GrantKey["scopeType"], scopeId = ""): GrantKey => ({
  principalType: "user",
  principalId: id,
  scopeType,
  scopeId,
});
const group = (id: string, scopeType: GrantKey["scopeType"], scopeId = ""): GrantKey => ({
  ...user(id, scopeType, scopeId),
  principalType: "group",
});

describe.each(dialects())("grants repository on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(dialect);
    await insertTestUser(db, "u1");
    await db.db
      .insertInto("groups")
      .values({ id: "g1", name: "ops", description: "", builtin: 0, created_at: Date.now() })
      .execute();
  });
  beforeEach(async () => {
    await db.db.deleteFrom("grants").execute();
  });
  afterAll(() => db?.close());

  const count = async () => (await db.db.selectFrom("grants").select("id").execute()).length;

  it("replaces the grant of a principal on a scope instead of adding one", async () => {
    const id = await upsertGrant(db.db, user("u1", "account", "acc_1"), "read");
    expect(await upsertGrant(db.db, user("u1", "account", "acc_1"), "admin")).toBe(id);
    expect(await count()).toBe(1);
    expect(await findGrant(db.db, id)).toMatchObject({
      principalName: "ann@example.com",
      scopeType: "account",
      scopeId: "acc_1",
      role: "admin",
    });
    const global = await upsertGrant(db.db, user("u1", "global"), "none");
    expect(global).not.toBe(id);
    expect(await findGrant(db.db, global)).toMatchObject({ scopeId: null, role: "none" });
  });

  it("keeps one grant when the same scope is set concurrently", async () => {
    const roles: Role[] = ["read", "operate", "admin", "none", "read"];
    const ids = await Promise.all(
      roles.map((r) => upsertGrant(db.db, group("g1", "resource", "site:s1"), r)),
    );
    expect(new Set(ids).size).toBe(1);
    expect(await count()).toBe(1);
  });

  it("refuses a second row for the same principal and scope", async () => {
    await upsertGrant(db.db, user("u1", "global"), "read");
    const duplicate = db.db
      .insertInto("grants")
      .values({
        id: "grant_dup",
        principal_type: "user",
        principal_id: "u1",
        scope_type: "global",
        scope_id: "",
        role_rank: 3,
        created_at: Date.now(),
      })
      .execute();
    await expect(duplicate).rejects.toThrow(/unique/i);
  });

  type Filter = Omit<Parameters<typeof listGrants>[1], "limit">;
  /** The grants a filter lists, each shown by `show`, sorted. */
  const shown = async (show: (grant: Grant) => string, filter: Filter = {}) =>
    (await listGrants(db.db, { ...filter, limit: 50 })).map(show).sort();
  /** Each filter lists the grants expected. */
  async function expectLists(show: (grant: Grant) => string, cases: [Filter, string[]][]) {
    for (const [filter, grants] of cases)
      expect(await shown(show, filter), JSON.stringify(filter)).toEqual(grants);
  }
  /** Grants `read` on each key. */
  const readOn = async (...keys: GrantKey[]) => {
    for (const key of keys) await upsertGrant(db.db, key, "read");
  };

  it("filters lists by principal and scope", async () => {
    await upsertGrant(db.db, user("u1", "global"), "read");
    await upsertGrant(db.db, user("u1", "account", "acc_1"), "operate");
    await upsertGrant(db.db, group("g1", "account", "acc_1"), "admin");
    await upsertGrant(db.db, group("g1", "resource", "site:s1"), "read");
    await expectLists(
      (g) => `${g.principalName} ${g.scopeType}:${g.scopeId ?? ""} ${g.role}`,
      [
        [{ principalType: "group" }, ["ops account:acc_1 admin", "ops resource:site:s1 read"]],
        [
          { principalId: "u1" },
          ["ann@example.com account:acc_1 operate", "ann@example.com global: read"],
        ],
        [
          { scopeType: "account", scopeId: "acc_1" },
          ["ann@example.com account:acc_1 operate", "ops account:acc_1 admin"],
        ],
        [{ scopeType: "global", scopeId: "" }, ["ann@example.com global: read"]],
        [{ scopeId: "site:s1" }, ["ops resource:site:s1 read"]],
      ],
    );
    expect(await listGrants(db.db, { limit: 50 })).toHaveLength(4);
  });

  it("filters by role and by the user a grant applies to, and names the account", async () => {
    await db.db
      .insertInto("accounts")
      .values({ id: "acc_n", slug: "named", name: "Named <b>", created_at: 1, updated_at: 1 })
      .execute();
    await db.db
      .insertInto("group_members")
      .values({ group_id: "g1", user_id: "u1", created_at: Date.now() })
      .execute();
    try {
      await upsertGrant(db.db, user("u1", "global"), "none");
      await upsertGrant(db.db, group("g1", "account", "acc_n"), "operate");
      await upsertGrant(db.db, user("u2", "account", "acc_n"), "none");
      await upsertGrant(db.db, group("g2", "global"), "read");
      await expectLists(
        (g) => `${g.principalId} ${g.scopeType}:${g.scopeName ?? "-"} ${g.role}`,
        [
          [{ userId: "u1" }, ["g1 account:Named <b> operate", "u1 global:- none"]],
          [{ role: "none" }, ["u1 global:- none", "u2 account:Named <b> none"]],
          [{ userId: "u1", role: "operate" }, ["g1 account:Named <b> operate"]],
          [{ userId: "nobody" }, []],
        ],
      );
    } finally {
      await db.db.deleteFrom("group_members").where("group_id", "=", "g1").execute();
      await db.db.deleteFrom("accounts").where("id", "=", "acc_n").execute();
    }
  });

  /** The ids of every page of a list, following its cursors. */
  async function everyPage(filter: Omit<Parameters<typeof listGrants>[1], "limit">, limit: number) {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const rows = await listGrants(db.db, { ...filter, limit, cursor });
      const page = pageOf(rows, limit, (g) => g.id);
      seen.push(...page.items.map((g) => g.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return seen;
  }

  it("pages through every grant once", async () => {
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      made.push(await upsertGrant(db.db, user(`p${i % 3}`, "account", `acc_${i}`), "read"));
    }
    await upsertGrant(db.db, group("g1", "global"), "read");
    for (const limit of [1, 5, 10, 23, 24, 100])
      expect(await everyPage({ principalType: "user" }, limit), `limit ${limit}`).toEqual(
        [...made].sort(),
      );
  });

  it("pages through a user's grants and its groups' once, in id order, one walk each", async () => {
    await db.db
      .insertInto("group_members")
      .values({ group_id: "g1", user_id: "u1", created_at: Date.now() })
      .execute();
    try {
      const made: string[] = [];
      for (let i = 0; i < 9; i++) {
        const who = i % 2 ? group("g1", "account", `acc_${i}`) : user("u1", "account", `acc_${i}`);
        made.push(await upsertGrant(db.db, who, "read"));
        // another principal's grant between them: never shown
        await upsertGrant(db.db, user("u2", "account", `acc_${i}`), "read");
      }
      for (const limit of [1, 2, 4, 9, 10])
        expect(await everyPage({ userId: "u1" }, limit), `limit ${limit}`).toEqual(
          [...made].sort(),
        );
    } finally {
      await db.db.deleteFrom("group_members").where("group_id", "=", "g1").execute();
    }
  });

  it("deletes the grants of a principal", async () => {
    await readOn(
      user("u1", "global"),
      user("u1", "account", "acc_1"),
      group("u1", "account", "acc_1"),
      user("u2", "account", "acc_1"),
    );
    await deleteGrantsOfPrincipal(db.db, "user", "u1");
    const left = await shown((g) => `${g.principalType}:${g.principalId}`);
    expect(left).toEqual(["group:u1", "user:u2"]);
  });

  it("deletes the grants on a scope", async () => {
    await readOn(
      user("u1", "account", "acc_1"),
      group("g1", "account", "acc_1"),
      user("u1", "account", "acc_2"),
      user("u1", "resource", "acc_1"),
    );
    await deleteGrantsOnScope(db.db, "account", "acc_1");
    const left = await shown((g) => `${g.scopeType}:${g.scopeId}`);
    expect(left).toEqual(["account:acc_2", "resource:acc_1"]);
  });
});
