import type { Migration } from "kysely";

/**
 * A PHP site's writable directories (docs/sites.md, "Writable directories"): a JSON array of
 * directories of its document root its PHP may write in the account layout, `["uploads"]`
 * (what every site had) unless told otherwise.
 */
export const m091_site_writable_dirs = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("sites")
      .addColumn("writable_dirs", "text", (c) => c.notNull().defaultTo('["uploads"]'))
      .execute();
  },
});
