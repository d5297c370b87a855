import { type Migration, sql } from "kysely";

/**
 * Notification rules, the dispatcher's state and the deliveries (issue 12,
 * docs/notifications.md "Rules", "Dispatch", "Deliveries").
 *
 * - A rule belongs to an account, or to the installation (account_id null); its settings are
 *   JSON of `ruleSettings`; it names channels (notification_rule_channels).
 * - A delivery is one message to one channel, for one rule (null: the emergency contact): the
 *   first event, the events of a digest (notification_delivery_events), its group and repeat
 *   keys, when it is due, its state and the task that sends it, the request (redacted) and
 *   the provider's answer. The delivery log walks a channel's or a rule's deliveries newest
 *   first, by state or not; the dispatcher finds a rule's last delivery of a repeat key and a
 *   pending delivery of a group.
 * - The dispatcher's cursor and lease (notification_dispatch, one row), the events it has
 *   dispatched in the last seconds (re-read behind the cursor, since event ids are made
 *   before commit), and each rule's flapping targets.
 */
export const m025_notification_rules = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("notification_rules")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.references("accounts.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("created_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create unique index notification_rules_name_idx on notification_rules ((coalesce(account_id, '')), name)`.execute(
      db,
    );
    await db.schema
      .createIndex("notification_rules_account_idx")
      .on("notification_rules")
      .columns(["account_id", "id"])
      .execute();

    await db.schema
      .createTable("notification_rule_channels")
      .addColumn("rule_id", "text", (c) =>
        c.notNull().references("notification_rules.id").onDelete("cascade"),
      )
      .addColumn("channel_id", "text", (c) =>
        c.notNull().references("notification_channels.id").onDelete("cascade"),
      )
      .addPrimaryKeyConstraint("notification_rule_channels_pk", ["rule_id", "channel_id"])
      .execute();
    await db.schema
      .createIndex("notification_rule_channels_channel_idx")
      .on("notification_rule_channels")
      .columns(["channel_id", "rule_id"])
      .execute();

    await db.schema
      .createTable("notification_deliveries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("rule_id", "text", (c) =>
        c.references("notification_rules.id").onDelete("cascade"),
      )
      .addColumn("channel_id", "text", (c) =>
        c.notNull().references("notification_channels.id").onDelete("cascade"),
      )
      .addColumn("account_id", "text")
      /** the first event (a digest's others in notification_delivery_events) */
      .addColumn("event_id", "text", (c) => c.notNull())
      .addColumn("event_type", "text", (c) => c.notNull())
      .addColumn("group_key", "text")
      .addColumn("repeat_key", "text", (c) => c.notNull())
      /** JSON { changes, windowMinutes } when it is one "flapping" message */
      .addColumn("flapping", "text")
      .addColumn("event_count", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("due_at", "bigint", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("task_id", "text")
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("status", "integer")
      /** JSON of the request, secrets redacted */
      .addColumn("request", "text")
      /** the provider's answer, truncated */
      .addColumn("response", "text")
      .addColumn("error", "text")
      .addColumn("sent_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    for (const [name, columns] of [
      ["notification_deliveries_channel_idx", ["channel_id", "id"]],
      ["notification_deliveries_channel_state_idx", ["channel_id", "state", "id"]],
      ["notification_deliveries_rule_idx", ["rule_id", "id"]],
      ["notification_deliveries_repeat_idx", ["rule_id", "repeat_key", "id"]],
      ["notification_deliveries_group_idx", ["rule_id", "group_key", "channel_id", "state"]],
      ["notification_deliveries_event_idx", ["event_id"]],
    ] as const)
      await db.schema
        .createIndex(name)
        .on("notification_deliveries")
        .columns([...columns])
        .execute();

    await db.schema
      .createTable("notification_delivery_events")
      .addColumn("delivery_id", "text", (c) =>
        c.notNull().references("notification_deliveries.id").onDelete("cascade"),
      )
      .addColumn("event_id", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("notification_delivery_events_pk", ["delivery_id", "event_id"])
      .execute();
    await db.schema
      .createIndex("notification_delivery_events_event_idx")
      .on("notification_delivery_events")
      .columns(["event_id"])
      .execute();

    await db.schema
      .createTable("notification_dispatch")
      .addColumn("name", "text", (c) => c.primaryKey())
      /** the newest event dispatched */
      .addColumn("cursor", "text", (c) => c.notNull())
      .addColumn("lease_owner", "text")
      .addColumn("lease_until", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("notification_dispatched")
      .addColumn("event_id", "text", (c) => c.primaryKey())
      .execute();
    await db.schema
      .createTable("notification_flaps")
      .addColumn("rule_id", "text", (c) =>
        c.notNull().references("notification_rules.id").onDelete("cascade"),
      )
      .addColumn("target_key", "text", (c) => c.notNull())
      .addColumn("since", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("notification_flaps_pk", ["rule_id", "target_key"])
      .execute();
  },
});
