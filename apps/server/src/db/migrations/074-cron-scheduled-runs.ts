import { type Migration, sql } from "kysely";

/**
 * Scheduled runs of cron jobs reported back (docs/hosting.md#scheduled-runs-reported-back):
 * a job may have a heartbeat monitor (its id, and the monitor's token sealed under the master
 * key: the node's cron-exec pings with it); `cron_runs` keeps the node's scheduled runs beside
 * the runs now (`kind`), each with the spool entry it came from (recorded once), the uid it ran
 * as, its duration, the end of its output and why it did not start.
 */
export const m074_cron_scheduled_runs = (): Migration => ({
  async up(db) {
    await db.schema.alterTable("cron_jobs").addColumn("heartbeat_monitor_id", "text").execute();
    await db.schema.alterTable("cron_jobs").addColumn("heartbeat_token", "text").execute();
    await db.schema
      .alterTable("cron_runs")
      .addColumn("kind", "text", (c) => c.notNull().defaultTo("manual"))
      .execute();
    for (const [name, type] of [
      ["spool_id", "text"],
      ["uid", "integer"],
      ["duration_ms", "bigint"],
      ["output", "text"],
      ["error", "text"],
    ] as const)
      await db.schema.alterTable("cron_runs").addColumn(name, type).execute();
    await sql`create index cron_runs_spool_idx on cron_runs (job_id, spool_id)`.execute(db);
  },
});
