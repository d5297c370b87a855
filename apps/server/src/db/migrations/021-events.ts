import { type Migration, sql } from "kysely";

/**
 * Domain events (issue 12, docs/notifications.md "Events"): what happened, recorded in the
 * transaction of its cause. Ids are time-ordered (lib/ids.ts), so the table is also the
 * dispatcher's outbox, read by id after a cursor; rows are inserted once, never updated, and
 * pruned by age (the logrotate task) in id order.
 *
 * Every filter of the list is an index ending with id (the list walks newest first): type,
 * severity, outcome, account, target id, target type; and, for an actor who sees some
 * accounts (read one account at a time, lib/walks.ts), an account's events by type, severity,
 * outcome and target type. A group key's latest event answers whether a task recovered.
 */
const single = [
  "type",
  "severity",
  "outcome",
  "account_id",
  "target_id",
  "target_type",
  "group_key",
];
const byAccount = ["type", "severity", "outcome", "target_type"];

export const m021_events = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("events")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("account_id", "text")
      .addColumn("target_type", "text")
      .addColumn("target_id", "text")
      .addColumn("target_name", "text")
      .addColumn("summary", "text", (c) => c.notNull())
      .addColumn("fields", "text", (c) => c.notNull())
      .addColumn("group_key", "text")
      .addColumn("url", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    for (const column of single)
      await db.schema
        .createIndex(`events_${column}_idx`)
        .on("events")
        .columns([column, "id"])
        .execute();
    for (const column of byAccount)
      await sql`create index ${sql.id(`events_account_${column}_idx`)}
        on events (account_id, ${sql.ref(column)}, id) where account_id is not null`.execute(db);
  },
});
