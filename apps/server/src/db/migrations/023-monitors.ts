import { type Migration, sql } from "kysely";

/**
 * Monitors (issue 12): each monitor's settings and its state as the scheduler keeps it (state,
 * since when, failures in a row, the next check, the last result in one line, the lease of the
 * panel that runs it), and one row per check in monitor_results, written in batches.
 *
 * Indexes: the list's walks (an account's monitors, by state, by kind, by name; the same
 * without the account for who sees all), the scheduler's (free leases by their end, a panel's
 * own), a heartbeat's token (its hash), and the results' range walk (a monitor's results by
 * time: the primary key, which pruning walks too, a page of monitors at a time: no index of
 * time alone to pay for at each of the 14 million inserts a day of 10,000 monitors).
 */
export const m023_monitors = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("monitors")
      .addColumn("id", "text", (c) => c.primaryKey())
      /** null: an installation monitor (super users only) */
      .addColumn("account_id", "text")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      /** the kind's settings as JSON (contracts/monitors monitorSettings) */
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("interval_ms", "integer", (c) => c.notNull())
      .addColumn("timeout_ms", "integer", (c) => c.notNull())
      .addColumn("retries", "integer", (c) => c.notNull())
      .addColumn("paused", "integer", (c) => c.notNull().defaultTo(0))
      /** maintenance windows as JSON ([{ start, end }]) */
      .addColumn("maintenance", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("state_since", "bigint", (c) => c.notNull())
      .addColumn("flapping", "integer", (c) => c.notNull().defaultTo(0))
      /** the times of its recent state changes as JSON (flap detection) */
      .addColumn("transitions", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("next_due", "bigint", (c) => c.notNull())
      .addColumn("last_check_at", "bigint")
      .addColumn("last_response_ms", "integer")
      .addColumn("last_message", "text")
      .addColumn("last_ping_at", "bigint")
      /** sha256 of a heartbeat monitor's token (base64url) */
      .addColumn("heartbeat_hash", "text")
      .addColumn("lease_owner", "text")
      /** 0: free; else until when its panel holds it */
      .addColumn("lease_until", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    const indexes: [string, string[]][] = [
      ["monitors_account_idx", ["account_id", "id"]],
      ["monitors_account_state_idx", ["account_id", "state", "id"]],
      ["monitors_account_kind_idx", ["account_id", "kind", "id"]],
      ["monitors_account_name_idx", ["account_id", "name", "id"]],
      ["monitors_state_idx", ["state", "id"]],
      ["monitors_kind_idx", ["kind", "id"]],
      ["monitors_name_idx", ["name", "id"]],
      ["monitors_lease_until_idx", ["lease_until"]],
      ["monitors_lease_owner_idx", ["lease_owner"]],
    ];
    for (const [name, columns] of indexes)
      await db.schema.createIndex(name).on("monitors").columns(columns).execute();
    await sql`create unique index monitors_heartbeat_idx on monitors (heartbeat_hash)
      where heartbeat_hash is not null`.execute(db);

    await db.schema
      .createTable("monitor_results")
      .addColumn("monitor_id", "text", (c) =>
        c.notNull().references("monitors.id").onDelete("cascade"),
      )
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("response_ms", "integer")
      .addColumn("message", "text")
      .addPrimaryKeyConstraint("monitor_results_pk", ["monitor_id", "at"])
      .execute();
  },
});
