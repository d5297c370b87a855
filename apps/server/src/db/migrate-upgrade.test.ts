// Upgrades that lose nothing (docs/configuration.md, "Upgrades"): a database migrated by a newer
// Steward is refused before anything changes, on both dialects; a SQLite database with a schema
// is copied beside itself before it is migrated, and only the newest copies are kept.
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { StartupError } from "../lib/errors.ts";
import { insertTestUser, openEmptyTestDb } from "../testing/test-db.ts";
import {
  MIGRATION_BACKUPS_KEPT,
  migrateToLatest,
  migrateUpTo,
  pendingMigrations,
} from "./migrate.ts";
import type { Db } from "./open.ts";

describe.each(dialects())("upgrades on %s", (dialect) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("refuses a database a newer Steward migrated, naming its migration, and changes nothing", async () => {
    db = await openEmptyTestDb(dialect);
    await migrateToLatest(db);
    const at = new Date().toISOString();
    await sql`insert into steward_migration (name, timestamp) values (${"999-from-the-future"}, ${at})`.execute(
      db.db,
    );
    const refused = await migrateToLatest(db).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StartupError);
    expect((refused as Error).message).toMatch(
      /migrated by a newer Steward \(its schema has 999-from-the-future; this Steward knows up to \d{3}-/,
    );
    if (db.file) expect(existsSync(join(dirname(db.file), "backups"))).toBe(false);
  });
});

describe("a SQLite database before it is migrated", () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("is copied beside itself with its rows, named after its last migration; a new one is not", async () => {
    db = await openEmptyTestDb("sqlite");
    const file = db.file as string;
    const backups = join(dirname(file), "backups");
    await migrateUpTo(db, "049-dns-secondaries");
    expect(existsSync(backups)).toBe(false); // a new database has nothing to keep
    await insertTestUser(db, "user_1");
    await migrateToLatest(db);
    expect(await pendingMigrations(db)).toEqual([]);
    const copies = readdirSync(backups);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/^steward-before-049-dns-secondaries-\d{8}T\d{6}Z\.db$/);
    const copy = new DatabaseSync(join(backups, copies[0] as string), { readOnly: true });
    try {
      expect(copy.prepare("select email from auth_user").all()).toEqual([
        { email: "ann@example.com" },
      ]);
      const last = copy
        .prepare("select name from steward_migration order by name desc limit 1")
        .get();
      expect(last).toEqual({ name: "049-dns-secondaries" });
    } finally {
      copy.close();
    }
    // migrated already: nothing pending, no new copy
    await migrateToLatest(db);
    expect(readdirSync(backups)).toHaveLength(1);
  });

  it(`keeps the newest ${MIGRATION_BACKUPS_KEPT} copies`, async () => {
    db = await openEmptyTestDb("sqlite");
    const backups = join(dirname(db.file as string), "backups");
    await migrateUpTo(db, "002-tasks");
    // older copies, oldest first
    mkdirSync(backups, { recursive: true });
    const old = Array.from({ length: MIGRATION_BACKUPS_KEPT }, (_, i) => {
      const name = `steward-before-000-old-${i}.db`;
      writeFileSync(join(backups, name), "");
      const t = Date.now() / 1000 - 1000 + i;
      utimesSync(join(backups, name), t, t);
      return name;
    });
    writeFileSync(join(backups, "notes.txt"), "mine");
    await migrateToLatest(db);
    const left = readdirSync(backups).sort();
    expect(left).toHaveLength(MIGRATION_BACKUPS_KEPT + 1);
    expect(left).not.toContain(old[0]);
    expect(left).toContain("notes.txt");
    expect(left.some((n) => n.startsWith("steward-before-002-tasks-"))).toBe(true);
  });
});
