import { type Migration, sql } from "kysely";

/**
 * Cron jobs of hosting accounts (issue 19, docs/hosting.md#cron-jobs): one line each of the
 * account's /etc/cron.d/steward-<account> on the node of its system user, which it runs as
 * (never root). `status` follows the cron.apply task that writes the file; "deleting" rows
 * go when it succeeds. The last run now is kept on the job (its task, end, exit status);
 * `cron_runs` keeps every run now (the task's log holds its output).
 */
export const m067_cron_jobs = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cron_jobs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("system_user_id", "text", (c) => c.notNull())
      .addColumn("schedule", "text", (c) => c.notNull())
      .addColumn("command", "text", (c) => c.notNull())
      /** JSON object: PATH, MAILTO */
      .addColumn("env", "text", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("last_run_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index cron_jobs_account_idx on cron_jobs (account_id, id)`.execute(db);
    await sql`create index cron_jobs_account_node_idx on cron_jobs (account_id, node_id, id)`.execute(
      db,
    );
    await sql`create index cron_jobs_user_idx on cron_jobs (system_user_id, id)`.execute(db);
    await db.schema
      .createTable("cron_runs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("job_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("exit_code", "integer")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .execute();
    await sql`create index cron_runs_job_idx on cron_runs (job_id, id)`.execute(db);
  },
});
