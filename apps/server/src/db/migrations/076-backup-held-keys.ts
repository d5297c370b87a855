import { type Migration, sql } from "kysely";

/**
 * Identities (X25519 private keys) given with a restore, test restore or download request of
 * a `recipients` plan's artifact, held for the one task that uses them (docs/backups.md,
 * "Keys"): sealed with the master key, taken (deleted) by the task, and dropped an hour after
 * the request if no task took them. A table rather than one process's memory, so that the
 * task may be claimed by any panel process (several `steward serve` on one PostgreSQL) and the
 * CLI, which enqueues without running tasks, can hand one over.
 */
export const m076_backup_held_keys = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("backup_held_keys")
      .addColumn("task_id", "text", (c) => c.primaryKey())
      .addColumn("sealed", "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index backup_held_keys_expires_idx on backup_held_keys (expires_at)`.execute(
      db,
    );
  },
});
