import type { Migration } from "kysely";

/**
 * Disk usage of system users (docs/hosting.md#disk-usage): each system user's usage as the
 * recurring task sysusers.usage last measured it on its node (one row per user, replaced at
 * each measurement), read per user by its key and per account along (account_id, system_user_id).
 */
export const m079_system_user_usage = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("system_user_usage")
      .addColumn("system_user_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addColumn("files", "bigint", (c) => c.notNull())
      .addColumn("truncated", "integer", (c) => c.notNull())
      .addColumn("measured_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("system_user_usage_account_idx")
      .on("system_user_usage")
      .columns(["account_id", "system_user_id"])
      .execute();
  },
});
