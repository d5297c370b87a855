import { type Migration, sql } from "kysely";

/**
 * The CMS site fleet (issue 17, docs/cms.md): an account's WordPress sites, reached through
 * the Steward connector plugin with a user's application password (sealed with the master
 * key), their time zone, the connector's last answer (versions, extensions, offers: JSON)
 * with the core version and the count of offers beside it for the fleet's list, and the last
 * connection diagnosis (JSON), and its recurring refresh task.
 */
export const m057_cms_sites = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cms_sites")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("username", "text", (c) => c.notNull())
      .addColumn("secret_enc", "text", (c) => c.notNull())
      .addColumn("timezone", "text", (c) => c.notNull())
      .addColumn("info", "text")
      .addColumn("core_version", "text")
      .addColumn("updates_available", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("refreshed_at", "bigint")
      .addColumn("refresh_error", "text")
      .addColumn("diagnosis", "text")
      .addColumn("refresh_task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("cms_sites_account_name_key", ["account_id", "name"])
      .execute();
    await sql`create index cms_sites_account_idx on cms_sites (account_id, id)`.execute(db);
  },
});
