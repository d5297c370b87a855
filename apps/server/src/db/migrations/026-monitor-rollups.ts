import type { Migration } from "kysely";

/**
 * Monitor history (issue 12): each monitor's checks rolled up per hour and per day (checks, up,
 * degraded, p50/p95/max response time), and the mark of each grain: every period before it is
 * rolled up. The roll-up task (modules/monitors/rollup.ts) redoes the periods from the mark on
 * (an upsert: a re-run or a crash mid-way never counts twice) and moves the mark when a period
 * is done for every monitor.
 *
 * Indexes: the primary key (monitor, grain, start) is the walk of a monitor's series and of
 * pruning (a page of monitors at a time, as the raw results are).
 */
export const m026_monitor_rollups = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("monitor_rollups")
      .addColumn("monitor_id", "text", (c) =>
        c.notNull().references("monitors.id").onDelete("cascade"),
      )
      /** "hour" or "day" */
      .addColumn("grain", "text", (c) => c.notNull())
      /** the period's start (epoch ms, UTC) */
      .addColumn("start", "bigint", (c) => c.notNull())
      .addColumn("checks", "integer", (c) => c.notNull())
      .addColumn("up_checks", "integer", (c) => c.notNull())
      .addColumn("degraded_checks", "integer", (c) => c.notNull())
      /** nearest-rank percentiles and maximum of the response times (null: none measured) */
      .addColumn("p50_ms", "integer")
      .addColumn("p95_ms", "integer")
      .addColumn("max_ms", "integer")
      .addPrimaryKeyConstraint("monitor_rollups_pk", ["monitor_id", "grain", "start"])
      .execute();
    await db.schema
      .createTable("monitor_rollup_marks")
      .addColumn("grain", "text", (c) => c.primaryKey())
      /** every period starting before this is rolled up (epoch ms) */
      .addColumn("rolled_until", "bigint", (c) => c.notNull())
      .execute();
  },
});
