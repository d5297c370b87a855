import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * Checks from the nodes (issue 12, docs/monitors.md "Locations and quorum"): where a monitor
 * is checked from (`locations`: a JSON array of "panel" and node ids; the panel alone for every
 * monitor so far) and how many must see it down (`quorum`; null: a majority of the locations),
 * and the location of each result: one row per location per time, so the primary key becomes
 * (monitor, time, location). Its walks by (monitor, time) are unchanged; one location's results
 * are a walk of (monitor, location, time). SQLite cannot change a primary key: the results'
 * table is rebuilt (its rows copied, every one the panel's).
 */
export const m040_monitor_locations = (dialect: Dialect): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("monitors")
      .addColumn("locations", "text", (c) => c.notNull().defaultTo('["panel"]'))
      .execute();
    await db.schema.alterTable("monitors").addColumn("quorum", "integer").execute();
    if (dialect === "postgres") {
      await sql`alter table monitor_results add column location text not null default 'panel'`.execute(
        db,
      );
      await sql`alter table monitor_results drop constraint monitor_results_pk`.execute(db);
      await sql`alter table monitor_results
        add constraint monitor_results_pk primary key (monitor_id, at, location)`.execute(db);
    } else await rebuildResults(db);
    await db.schema
      .createIndex("monitor_results_location_idx")
      .on("monitor_results")
      .columns(["monitor_id", "location", "at"])
      .execute();
  },
});

async function rebuildResults(db: Kysely<unknown>) {
  await db.schema
    .createTable("monitor_results_040")
    .addColumn("monitor_id", "text", (c) =>
      c.notNull().references("monitors.id").onDelete("cascade"),
    )
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull().defaultTo("panel"))
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("response_ms", "integer")
    .addColumn("message", "text")
    .addPrimaryKeyConstraint("monitor_results_pk", ["monitor_id", "at", "location"])
    .execute();
  await sql`insert into monitor_results_040 (monitor_id, at, location, outcome, response_ms, message)
    select monitor_id, at, 'panel', outcome, response_ms, message from monitor_results`.execute(db);
  await db.schema.dropTable("monitor_results").execute();
  await db.schema.alterTable("monitor_results_040").renameTo("monitor_results").execute();
}
