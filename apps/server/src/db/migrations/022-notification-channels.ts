import { type Migration, sql } from "kysely";

/**
 * Notification channels and message templates (issue 12). A channel belongs to an account, or
 * to the installation (account_id null, super users only); its settings are kept without their
 * secrets, which are sealed with the master key (crypto/secrets.ts) as one JSON object. Rules
 * name channels by id and deliveries point at one (next session), so a channel keeps its id
 * through every change. Its name is unique within its scope. The list walks an account's
 * channels, or all of them, by kind or not, newest first.
 *
 * A message template is an installation's override of the default template of one event type
 * in one template format (text, markdown, html); no row is the default.
 */
export const m022_notification_channels = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("notification_channels")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.references("accounts.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      /** JSON of the settings, secrets left out */
      .addColumn("settings", "text", (c) => c.notNull())
      /** the secret fields as one JSON object sealed with the master key; null when none */
      .addColumn("secrets_sealed", "text")
      .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("last_test_at", "bigint")
      .addColumn("last_test_ok", "integer")
      .addColumn("last_test_status", "integer")
      .addColumn("last_test_error", "text")
      .addColumn("created_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create unique index notification_channels_name_idx on notification_channels ((coalesce(account_id, '')), name)`.execute(
      db,
    );
    for (const [name, columns] of [
      ["notification_channels_account_idx", ["account_id", "id"]],
      ["notification_channels_kind_idx", ["kind", "id"]],
      ["notification_channels_account_kind_idx", ["account_id", "kind", "id"]],
    ] as const)
      await db.schema
        .createIndex(name)
        .on("notification_channels")
        .columns([...columns])
        .execute();

    await db.schema
      .createTable("message_templates")
      .addColumn("event_type", "text", (c) => c.notNull())
      .addColumn("format", "text", (c) => c.notNull())
      .addColumn("subject", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("message_templates_pk", ["event_type", "format"])
      .execute();
  },
});
