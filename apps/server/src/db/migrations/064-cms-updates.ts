import { type Migration, sql } from "kysely";

/**
 * Update policies, upgrade tasks and update history of the CMS fleet (issue 17,
 * docs/cms.md#update-policies). A policy row holds an account's defaults (site_id '') or a
 * site's, for every update (ext_type '') or one extension (ext_type core/plugin/theme, ext_slug
 * the plugin or theme): '' rather than null so that the one-per-scope key holds on both
 * databases. The window (minutes after midnight, a duration, the days as a bit set) and the
 * home page's keyword belong to the site-wide rows. `cms_upgrades` keeps each site's run-once
 * upgrade task (re-enabled rather than duplicated), the updates people asked for and the offers
 * already announced; the
 * history keeps each update's outcome.
 */
export const m064_cms_updates = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cms_update_policies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("ext_type", "text", (c) => c.notNull())
      .addColumn("ext_slug", "text", (c) => c.notNull())
      .addColumn("level", "text", (c) => c.notNull())
      .addColumn("stable_only", "integer", (c) => c.notNull())
      .addColumn("window_start", "integer")
      .addColumn("window_minutes", "integer")
      .addColumn("window_days", "integer")
      .addColumn("keyword", "text")
      .addColumn("skip_version", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("cms_update_policies_scope_key", [
        "account_id",
        "site_id",
        "ext_type",
        "ext_slug",
      ])
      .execute();
    await sql`create index cms_update_policies_account_idx on cms_update_policies (account_id, id)`.execute(
      db,
    );
    await db.schema
      .createTable("cms_upgrades")
      .addColumn("site_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text")
      .addColumn("requested", "text", (c) => c.notNull())
      .addColumn("announced", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("cms_update_history")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text")
      .addColumn("ext_type", "text", (c) => c.notNull())
      .addColumn("ext_slug", "text", (c) => c.notNull())
      .addColumn("from_version", "text")
      .addColumn("to_version", "text")
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("message", "text", (c) => c.notNull())
      .addColumn("status_before", "integer")
      .addColumn("status_after", "integer")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index cms_update_history_site_idx on cms_update_history (site_id, id)`.execute(
      db,
    );
  },
});
