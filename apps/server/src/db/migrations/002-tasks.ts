import { type Migration, sql } from "kysely";

/** The task engine's tables: tasks, their prerequisites, logs and spacing marks. */
export const m002_tasks = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("tasks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("target_type", "text")
      .addColumn("target_id", "text")
      .addColumn("account_id", "text")
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("priority", "integer", (c) => c.notNull().defaultTo(5))
      .addColumn("run_at", "bigint", (c) => c.notNull())
      .addColumn("expression", "text")
      .addColumn("timezone", "text")
      .addColumn("on_success", "text", (c) => c.notNull().defaultTo("disable"))
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("max_attempts", "integer", (c) => c.notNull())
      .addColumn("concurrency_key", "text")
      .addColumn("concurrency_limit", "integer")
      .addColumn("gap_key", "text")
      .addColumn("gap_ms", "bigint")
      .addColumn("unique_key", "text")
      .addColumn("lease_owner", "text")
      .addColumn("lease_until", "bigint")
      .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("progress", "real")
      .addColumn("progress_message", "text")
      .addColumn("checkpoint", "text")
      .addColumn("result", "text")
      .addColumn("last_error", "text")
      .addColumn("last_outcome", "text")
      .addColumn("parent_id", "text")
      .addColumn("created_by", "text")
      .addColumn("started_at", "bigint")
      .addColumn("finished_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    // The claim query walks this index: runnable tasks by priority, then due time.
    await db.schema
      .createIndex("tasks_claim_idx")
      .on("tasks")
      .columns(["state", "priority", "run_at"])
      .execute();
    await db.schema
      .createIndex("tasks_lease_idx")
      .on("tasks")
      .columns(["state", "lease_until"])
      .execute();
    await db.schema
      .createIndex("tasks_concurrency_idx")
      .on("tasks")
      .columns(["concurrency_key", "state"])
      .execute();
    await db.schema
      .createIndex("tasks_target_idx")
      .on("tasks")
      .columns(["target_type", "target_id"])
      .execute();
    await db.schema.createIndex("tasks_account_idx").on("tasks").column("account_id").execute();
    await db.schema.createIndex("tasks_kind_idx").on("tasks").column("kind").execute();
    await db.schema.createIndex("tasks_parent_idx").on("tasks").column("parent_id").execute();
    // At most one active (queued or running) task per unique key.
    await db.schema
      .createIndex("tasks_unique_active_idx")
      .on("tasks")
      .column("unique_key")
      .unique()
      .where(sql<boolean>`unique_key is not null and state in ('queued', 'running')`)
      .execute();
    await db.schema
      .createTable("task_deps")
      .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("depends_on_id", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("task_deps_pk", ["task_id", "depends_on_id"])
      .execute();
    await db.schema
      .createIndex("task_deps_on_idx")
      .on("task_deps")
      .column("depends_on_id")
      .execute();
    await db.schema
      .createTable("task_logs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("task_id", "text", (c) => c.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("level", "text", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("task_logs_task_idx")
      .on("task_logs")
      .columns(["task_id", "id"])
      .execute();
    await db.schema.createIndex("task_logs_at_idx").on("task_logs").column("at").execute();
    await db.schema
      .createTable("task_gaps")
      .addColumn("gap_key", "text", (c) => c.primaryKey())
      .addColumn("last_started_at", "bigint", (c) => c.notNull())
      .execute();
  },
});
