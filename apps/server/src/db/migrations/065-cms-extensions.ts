import { type Migration, sql } from "kysely";

/**
 * The fleet's extensions (issue 17, docs/cms.md#fleet-views): one row per extension of each CMS
 * site (and one for its core, type `core`), rewritten at each refresh of the site, with the
 * version, the update offered and whether it is outdated, so that "which sites run X at which
 * version" and "what is outdated" are index walks of an account: by (account, id), (account,
 * slug, id) and (account, outdated, id), and of all accounts (a super user's) by (slug, id) and
 * (outdated, id). Removed with their site.
 */
export const m065_cms_extensions = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cms_extensions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("site_id", "text", (c) =>
        c.notNull().references("cms_sites.id").onDelete("cascade"),
      )
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("slug", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("update_version", "text")
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("outdated", "integer", (c) => c.notNull())
      .addColumn("refreshed_at", "bigint", (c) => c.notNull())
      .execute();
    await sql`create index cms_extensions_account_idx on cms_extensions (account_id, id)`.execute(
      db,
    );
    await sql`create index cms_extensions_slug_idx on cms_extensions (account_id, slug, id)`.execute(
      db,
    );
    await sql`create index cms_extensions_outdated_idx on cms_extensions (account_id, outdated, id)`.execute(
      db,
    );
    // a super user's walks over every account
    await sql`create index cms_extensions_slug_all_idx on cms_extensions (slug, id)`.execute(db);
    await sql`create index cms_extensions_outdated_all_idx on cms_extensions (outdated, id)`.execute(
      db,
    );
    await sql`create index cms_extensions_site_idx on cms_extensions (site_id)`.execute(db);
  },
});
