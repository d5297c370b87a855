import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * Artifacts the storage explorer imports (issue 15, docs/backups.md "The storage explorer"):
 * an artifact found on a destination and registered from its sidecar has no run, and, as an
 * orphan of an account, no plan or source either, so `run_id`, `plan_id` and `source_id` may
 * be null; `imported_at` says when it was imported. The explorer joins a page of a
 * destination's objects with the artifacts by (destination, name). SQLite cannot drop a NOT
 * NULL: the table is rebuilt from its own definition (whatever columns it has by now), rows
 * and indexes as they were.
 */
export const m052_backup_imports = (dialect: Dialect): Migration => ({
  async up(db) {
    if (dialect === "postgres")
      for (const column of ["run_id", "plan_id", "source_id"])
        await sql`alter table backup_artifacts alter column ${sql.id(column)} drop not null`.execute(
          db,
        );
    else await rebuildArtifacts(db);
    await db.schema.alterTable("backup_artifacts").addColumn("imported_at", "bigint").execute();
    await sql`create index backup_artifacts_destination_name_idx
      on backup_artifacts (destination_id, name)`.execute(db);
  },
});

async function rebuildArtifacts(db: Kysely<unknown>) {
  const found = await sql<{ type: string; name: string; sql: string | null }>`
    select type, name, sql from sqlite_master where tbl_name = 'backup_artifacts'`.execute(db);
  const table = found.rows.find((r) => r.type === "table")?.sql;
  if (!table) throw new Error("backup_artifacts has no definition");
  let definition = table.replace(
    /^create table\s+"?backup_artifacts"?/i,
    "create table backup_artifacts_052",
  );
  for (const column of ["run_id", "plan_id", "source_id"]) {
    const notNull = new RegExp(`("?${column}"?\\s+text)\\s+not null`, "i");
    if (!notNull.test(definition)) throw new Error(`backup_artifacts.${column}: not as expected`);
    definition = definition.replace(notNull, "$1");
  }
  await sql.raw(definition).execute(db);
  await sql`insert into backup_artifacts_052 select * from backup_artifacts`.execute(db);
  await db.schema.dropTable("backup_artifacts").execute();
  await db.schema.alterTable("backup_artifacts_052").renameTo("backup_artifacts").execute();
  for (const index of found.rows)
    if (index.type === "index" && index.sql) await sql.raw(index.sql).execute(db);
}
