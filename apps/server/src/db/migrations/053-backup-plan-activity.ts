import { type Migration, sql } from "kysely";

/**
 * What a backup plan keeps (issue 15, the console's plans and the dashboard: docs/backups.md):
 * the bytes of its artifacts retention has not deleted, summed along this partial index of the
 * plan's live artifacts only (deleted ones stay as history and would grow the walk run by run).
 */
export const m053_backup_plan_activity = (): Migration => ({
  async up(db) {
    await sql`create index backup_artifacts_live_plan_idx on backup_artifacts (plan_id, bytes)
      where deleted_at is null`.execute(db);
  },
});
