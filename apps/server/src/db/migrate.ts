import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { m001_foundation } from "./migrations/001-foundation.ts";
import type { Db, Dialect } from "./open.ts";

/** Forward-only migrations, in order; the same list for both dialects. */
const all = (dialect: Dialect): Record<string, Migration> => ({
  "001-foundation": m001_foundation(dialect),
});

const provider = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => all(dialect),
});

const migrator = (db: Kysely<unknown>, dialect: Dialect) =>
  new Migrator({
    db,
    provider: provider(dialect),
    migrationTableName: "steward_migration",
    migrationLockTableName: "steward_migration_lock",
  });

export async function migrateToLatest({ db, dialect }: Db): Promise<string[]> {
  const { error, results } = await migrator(db as Kysely<unknown>, dialect).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Names of migrations not applied yet (empty when the schema is current). */
export async function pendingMigrations({ db, dialect }: Db): Promise<string[]> {
  const list = await migrator(db as Kysely<unknown>, dialect).getMigrations();
  return list.filter((m) => !m.executedAt).map((m) => m.name);
}
