import type { Migration } from "kysely";

/**
 * Node health over time: one point per node and minute from the heartbeat (load, CPU, memory,
 * root disk), pruned to the last 24 hours by the heartbeat itself. And a site's warning: what
 * its last apply reported without failing (a proxy whose upstream does not answer yet).
 */
export const m012_node_metrics = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("node_metrics")
      .addColumn("node_id", "text", (c) => c.notNull().references("nodes.id").onDelete("cascade"))
      /** the minute (ms since the epoch, a multiple of 60 000) */
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("load1", "real", (c) => c.notNull())
      .addColumn("load5", "real", (c) => c.notNull())
      .addColumn("load15", "real", (c) => c.notNull())
      .addColumn("cpus", "integer", (c) => c.notNull())
      .addColumn("cpu_percent", "real", (c) => c.notNull())
      .addColumn("memory_total", "bigint", (c) => c.notNull())
      .addColumn("memory_available", "bigint", (c) => c.notNull())
      .addColumn("disk_total", "bigint", (c) => c.notNull())
      .addColumn("disk_available", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("node_metrics_pk", ["node_id", "at"])
      .execute();
    await db.schema.alterTable("sites").addColumn("warning", "text").execute();
  },
});
