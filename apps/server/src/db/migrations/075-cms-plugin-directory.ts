import { type Migration, sql } from "kysely";

/**
 * Abandoned extensions and the upgrade scan of older installations (issue 17, docs/cms.md).
 *
 * `cms_plugin_releases` caches what wordpress.org's plugin directory says of a plugin (by its
 * directory slug, the plugin's folder): when it last released (null when the directory does not
 * have it) and when Steward asked. The fleet's rows get that date (`released_at`) and whether it
 * is older than the installation's limit (`abandoned`, set at each refresh of the site), walked
 * as `outdated` is: (account, abandoned, id) and, for a super user, (abandoned, id).
 *
 * An older installation gets the upgrade scan and the directory's lookups at its next start
 * (engine/builtin/install.ts, addMissingDefaultTasks), as every default task added since.
 */
export const m075_cms_plugin_directory = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cms_plugin_releases")
      .addColumn("slug", "text", (c) => c.primaryKey())
      .addColumn("last_updated", "bigint")
      .addColumn("fetched_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.alterTable("cms_extensions").addColumn("released_at", "bigint").execute();
    await db.schema
      .alterTable("cms_extensions")
      .addColumn("abandoned", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`create index cms_extensions_abandoned_idx on cms_extensions (account_id, abandoned, id)`.execute(
      db,
    );
    await sql`create index cms_extensions_abandoned_all_idx on cms_extensions (abandoned, id)`.execute(
      db,
    );
  },
});
