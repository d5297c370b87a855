import type { Role } from "@steward/contracts";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../db/open.ts";
import { pageOf } from "../../lib/sql.ts";
import { openTestDb } from "../../testing/test-db.ts";
import { insertUser } from "../users/repo.ts";
import {
  deleteGrantsOfPrincipal,
  deleteGrantsOnScope,
  findGrant,
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
    await insertUser(db.db, {
      id: "u1",
      email: "ann@example.com",
      name: "Ann",
      passwordHash: "x",
      accountRowId: "acco_u1",
    });
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

  it("filters lists by principal and scope", async () => {
    await upsertGrant(db.db, user("u1", "global"), "read");
    await upsertGrant(db.db, user("u1", "account", "acc_1"), "operate");
    await upsertGrant(db.db, group("g1", "account", "acc_1"), "admin");
    await upsertGrant(db.db, group("g1", "resource", "site:s1"), "read");
    const list = async (f: Partial<GrantKey>) =>
      (await listGrants(db.db, { ...f, limit: 50 }))
        .map((g) => `${g.principalName} ${g.scopeType}:${g.scopeId ?? ""} ${g.role}`)
        .sort();
    expect(await list({ principalType: "group" })).toEqual([
      "ops account:acc_1 admin",
      "ops resource:site:s1 read",
    ]);
    expect(await list({ principalId: "u1" })).toEqual([
      "ann@example.com account:acc_1 operate",
      "ann@example.com global: read",
    ]);
    expect(await list({ scopeType: "account", scopeId: "acc_1" })).toEqual([
      "ann@example.com account:acc_1 operate",
      "ops account:acc_1 admin",
    ]);
    expect(await list({ scopeType: "global", scopeId: "" })).toEqual([
      "ann@example.com global: read",
    ]);
    expect(await list({ scopeId: "site:s1" })).toEqual(["ops resource:site:s1 read"]);
    expect(await list({})).toHaveLength(4);
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
      const list = async (f: { role?: Role; userId?: string }) =>
        (await listGrants(db.db, { ...f, limit: 50 }))
          .map((g) => `${g.principalId} ${g.scopeType}:${g.scopeName ?? "-"} ${g.role}`)
          .sort();
      expect(await list({ userId: "u1" })).toEqual([
        "g1 account:Named <b> operate",
        "u1 global:- none",
      ]);
      expect(await list({ role: "none" })).toEqual([
        "u1 global:- none",
        "u2 account:Named <b> none",
      ]);
      expect(await list({ userId: "u1", role: "operate" })).toEqual([
        "g1 account:Named <b> operate",
      ]);
      expect(await list({ userId: "nobody" })).toEqual([]);
    } finally {
      await db.db.deleteFrom("group_members").where("group_id", "=", "g1").execute();
      await db.db.deleteFrom("accounts").where("id", "=", "acc_n").execute();
    }
  });

  it("pages through every grant once", async () => {
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      made.push(await upsertGrant(db.db, user(`p${i % 3}`, "account", `acc_${i}`), "read"));
    }
    await upsertGrant(db.db, group("g1", "global"), "read");
    for (const limit of [1, 5, 10, 23, 24, 100]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const rows = await listGrants(db.db, { principalType: "user", limit, cursor });
        const page = pageOf(rows, limit, (g) => g.id);
        seen.push(...page.items.map((g) => g.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(seen, `limit ${limit}`).toEqual([...made].sort());
    }
  });

  it("deletes the grants of a principal", async () => {
    await upsertGrant(db.db, user("u1", "global"), "read");
    await upsertGrant(db.db, user("u1", "account", "acc_1"), "read");
    await upsertGrant(db.db, group("u1", "account", "acc_1"), "read");
    await upsertGrant(db.db, user("u2", "account", "acc_1"), "read");
    await deleteGrantsOfPrincipal(db.db, "user", "u1");
    const left = await listGrants(db.db, { limit: 50 });
    expect(left.map((g) => `${g.principalType}:${g.principalId}`).sort()).toEqual([
      "group:u1",
      "user:u2",
    ]);
  });

  it("deletes the grants on a scope", async () => {
    await upsertGrant(db.db, user("u1", "account", "acc_1"), "read");
    await upsertGrant(db.db, group("g1", "account", "acc_1"), "read");
    await upsertGrant(db.db, user("u1", "account", "acc_2"), "read");
    await upsertGrant(db.db, user("u1", "resource", "acc_1"), "read");
    await deleteGrantsOnScope(db.db, "account", "acc_1");
    const left = await listGrants(db.db, { limit: 50 });
    expect(left.map((g) => `${g.scopeType}:${g.scopeId}`).sort()).toEqual([
      "account:acc_2",
      "resource:acc_1",
    ]);
  });
});
