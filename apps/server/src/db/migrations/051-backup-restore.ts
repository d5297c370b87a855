import { type Migration, sql } from "kysely";

/**
 * Restores, test restores and recovery kits from the panel (issue 15, docs/backups.md): an
 * artifact keeps its last test restore's failure and when it was checked (verified or not); a
 * plan keeps its test-restore schedule and its recurring `backup.verify-plan` task, and when
 * its panel-sealed private key was taken as a recovery kit.
 */
export const m051_backup_restore = (): Migration => ({
  async up(db) {
    const columns: [string, string, string][] = [
      ["backup_artifacts", "verify_error", "text"],
      ["backup_artifacts", "verify_checked_at", "bigint"],
      ["backup_plans", "verify_schedule", "text"],
      ["backup_plans", "verify_time_zone", "text"],
      ["backup_plans", "verify_task_id", "text"],
      ["backup_plans", "recovery_kit_taken_at", "bigint"],
    ];
    for (const [table, column, type] of columns)
      await sql`alter table ${sql.id(table)} add column ${sql.id(column)} ${sql.raw(type)}`.execute(
        db,
      );
  },
});
