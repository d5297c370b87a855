import { type Migration, sql } from "kysely";

/**
 * Backups (C15, issue 15), the panel's part: sources (a node's directory, a database, all the
 * databases of a server, MongoDB), plans (sources to destinations, a schedule, compression,
 * encryption, retention, concurrency per node), runs (one per plan and source, each a task) and
 * the artifacts they stored (one per run and destination). Every list is an index walk: by
 * creation within an account, by plan and status for runs, by plan, source, destination and
 * verification for artifacts (each also within an account).
 */
export const m041_backup_plans = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("backup_sources")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      /** files and mongodb: the node it is read on; the database kinds: their server's */
      .addColumn("node_id", "text")
      /** database: the databases module's database; server: its database server */
      .addColumn("database_id", "text")
      .addColumn("server_id", "text")
      /** JSON: the kind's settings without secrets (files: path, excludes; mongodb: database) */
      .addColumn("spec", "text", (c) => c.notNull())
      /** mongodb: the URI (it holds the password), sealed with the master key */
      .addColumn("secret_sealed", "text")
      /** JSON: the check made when it was saved (connection, the databases seen) */
      .addColumn("last_check", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("backup_plans")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      /** JSON arrays of ids */
      .addColumn("source_ids", "text", (c) => c.notNull())
      .addColumn("destination_ids", "text", (c) => c.notNull())
      /** cron expression; null: run only when asked */
      .addColumn("schedule", "text")
      .addColumn("time_zone", "text", (c) => c.notNull())
      .addColumn("compression_level", "integer", (c) => c.notNull())
      /** none | recipients (public keys given) | panel (a pair made here, private key sealed) */
      .addColumn("encryption", "text", (c) => c.notNull())
      /** JSON array of raw X25519 public keys, base64 */
      .addColumn("recipients", "text", (c) => c.notNull())
      .addColumn("private_key_sealed", "text")
      /** JSON: {keepLast} or {gfs: {hourly, daily, weekly, monthly, yearly}} */
      .addColumn("retention", "text", (c) => c.notNull())
      .addColumn("concurrency", "integer", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull())
      /** the recurring task of its schedule */
      .addColumn("schedule_task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("backup_runs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("plan_id", "text", (c) => c.notNull())
      .addColumn("source_id", "text", (c) => c.notNull())
      /** what was backed up (a path, a database's name) */
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("node_id", "text")
      /** queued | running | succeeded | partial | failed */
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("artifact", "text", (c) => c.notNull())
      .addColumn("source_bytes", "bigint")
      .addColumn("bytes", "bigint")
      /** JSON: each destination's outcome */
      .addColumn("outcomes", "text", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("task_id", "text")
      .addColumn("started_at", "bigint")
      .addColumn("finished_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("backup_artifacts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("run_id", "text", (c) => c.notNull())
      .addColumn("plan_id", "text", (c) => c.notNull())
      .addColumn("source_id", "text", (c) => c.notNull())
      .addColumn("destination_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addColumn("sha256", "text", (c) => c.notNull())
      .addColumn("source_description", "text", (c) => c.notNull())
      /** 1 once a test restore checked it (verified_at says when) */
      .addColumn("verified", "integer", (c) => c.notNull())
      .addColumn("verified_at", "bigint")
      .addColumn("deleted_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    const indexes: [string, string, string][] = [
      ["backup_sources_account_idx", "backup_sources", "account_id, id"],
      ["backup_sources_name_idx", "backup_sources", "name, id"],
      ["backup_sources_account_name_idx", "backup_sources", "account_id, name, id"],
      ["backup_plans_account_idx", "backup_plans", "account_id, id"],
      ["backup_plans_name_idx", "backup_plans", "name, id"],
      ["backup_plans_account_name_idx", "backup_plans", "account_id, name, id"],
      ["backup_runs_account_idx", "backup_runs", "account_id, id"],
      ["backup_runs_plan_idx", "backup_runs", "plan_id, id"],
      ["backup_runs_status_idx", "backup_runs", "status, id"],
      ["backup_runs_plan_status_idx", "backup_runs", "plan_id, status, id"],
      ["backup_runs_account_plan_idx", "backup_runs", "account_id, plan_id, id"],
      ["backup_runs_account_status_idx", "backup_runs", "account_id, status, id"],
      ["backup_runs_account_plan_status_idx", "backup_runs", "account_id, plan_id, status, id"],
      ["backup_artifacts_account_idx", "backup_artifacts", "account_id, id"],
      ["backup_artifacts_run_idx", "backup_artifacts", "run_id, id"],
    ];
    for (const filter of ["plan_id", "source_id", "destination_id", "verified"])
      indexes.push(
        [`backup_artifacts_${filter}_idx`, "backup_artifacts", `${filter}, id`],
        [`backup_artifacts_account_${filter}_idx`, "backup_artifacts", `account_id, ${filter}, id`],
      );
    for (const [name, table, columns] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.table(table)} (${sql.raw(columns)})`.execute(
        db,
      );
  },
});
