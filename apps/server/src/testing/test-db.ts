// A migrated (or empty) database of either dialect for repository tests: a temp SQLite file,
// or a fresh database in the run's PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DialectName,
  freshPostgresDatabase,
  templatedPostgresDatabase,
} from "@steward/testkit";
import { migrateToLatest } from "../db/migrate.ts";
import { type Db, openPostgres, openSqlite } from "../db/open.ts";
import { insertUser } from "../modules/users/repo.ts";

/** Opens an empty database; `close()` also removes the SQLite temp directory. */
export async function openEmptyTestDb(dialect: DialectName): Promise<Db> {
  if (dialect === "postgres") return openPostgres(await freshPostgresDatabase(), 4);
  const dir = mkdtempSync(join(tmpdir(), "steward-db-"));
  const db = openSqlite(join(dir, "test.db"));
  return {
    ...db,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh PostgreSQL database with every migration applied: a copy of a template migrated
 * once per run (migrating takes seconds on PostgreSQL, a copy a fraction of one).
 */
export function migratedPostgresDatabase(): Promise<string> {
  return templatedPostgresDatabase("steward_migrated", async (url) => {
    const db = openPostgres(url, 1);
    try {
      await migrateToLatest(db);
    } finally {
      await db.close();
    }
  });
}

/** Opens a database with every migration applied. */
export async function openTestDb(dialect: DialectName): Promise<Db> {
  if (dialect === "postgres") return openPostgres(await migratedPostgresDatabase(), 4);
  const db = await openEmptyTestDb(dialect);
  await migrateToLatest(db);
  return db;
}

/** A user row as `users` writes it (the password hash is not a real one): Ann, by default. */
export function insertTestUser(db: Db, id: string, email = "ann@example.com") {
  return insertUser(db.db, {
    id,
    email,
    name: "Ann",
    passwordHash: "x",
    accountRowId: `acco_${id}`,
  });
}
