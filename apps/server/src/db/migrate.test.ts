import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { insertUser } from "../modules/users/repo.ts";
import { openEmptyTestDb, openTestDb } from "../testing/test-db.ts";
import { migrateToLatest, pendingMigrations } from "./migrate.ts";
import type { Db } from "./open.ts";

describe.each(dialects())("migrations on %s", (dialect) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("applies every migration once, in order, then nothing is pending", async () => {
    db = await openEmptyTestDb(dialect);
    const all = [
      "001-foundation",
      "002-tasks",
      "003-task-claim",
      "004-nodes",
      "005-sites",
      "006-node-outbound",
      "008-session-token-hashes",
      "010-site-php-exec",
    ];
    expect(await pendingMigrations(db)).toEqual(all);
    expect(await migrateToLatest(db)).toEqual(all);
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it("creates the builtin super group", async () => {
    db = await openTestDb(dialect);
    const row = await db.db
      .selectFrom("groups")
      .select(["id", "name", "builtin"])
      .where("id", "=", "super")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: "super", name: "super", builtin: 1 });
  });

  it("cascades deletes through foreign keys", async () => {
    db = await openTestDb(dialect);
    await insertUser(db.db, {
      id: "user_1",
      email: "ann@example.com",
      name: "Ann",
      passwordHash: "x",
      accountRowId: "acco_user_1",
    });
    await db.db
      .insertInto("group_members")
      .values({ group_id: "super", user_id: "user_1", created_at: Date.now() })
      .execute();
    const members = () => db?.db.selectFrom("group_members").selectAll().execute();
    expect(await members()).toHaveLength(1);
    await db.db.deleteFrom("auth_user").where("id", "=", "user_1").execute();
    expect(await members()).toEqual([]);
  });

  it("refuses a group member whose user does not exist", async () => {
    db = await openTestDb(dialect);
    const insert = db.db
      .insertInto("group_members")
      .values({ group_id: "super", user_id: "nobody", created_at: Date.now() })
      .execute();
    await expect(insert).rejects.toThrow(/foreign key/i);
  });
});

describe("SQLite connection", () => {
  it("is in WAL mode with foreign keys on", async () => {
    const db = await openTestDb("sqlite");
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.db);
      expect(journal.rows[0]?.journal_mode).toBe("wal");
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.db);
      expect(Number(fk.rows[0]?.foreign_keys)).toBe(1);
    } finally {
      await db.close();
    }
  });
});
