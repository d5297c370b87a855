import type { Migration } from "kysely";

/**
 * PHP as the account's CGI user (issue 19, docs/sites.md#the-account-layout): a site's
 * `layout` is where its files live and who runs its PHP — `site` (its own user and home under
 * the sites root, every site made before this) or `account` (its account's main system user's
 * home, PHP as `<main>-cgi`); `applied_layout` is the one on the node, so a site asked to move
 * is moved (site.migrate-layout) by its next apply; `main_user` names that main user (system
 * users are never renamed). `php_version`: the PHP-FPM version of a
 * PHP site's pool (null: the node's default).
 */
export const m073_site_layout = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("sites")
      .addColumn("layout", "text", (c) => c.notNull().defaultTo("site"))
      .execute();
    await db.schema
      .alterTable("sites")
      .addColumn("applied_layout", "text", (c) => c.notNull().defaultTo("site"))
      .execute();
    await db.schema.alterTable("sites").addColumn("main_user", "text").execute();
    await db.schema.alterTable("sites").addColumn("php_version", "text").execute();
  },
});
