import type { Migration } from "kysely";

/**
 * A site's directory protection (its protected paths, each with users and their bcrypt
 * hashes: never a password) and its PHP settings (php.ini values from the allow-list), both
 * going with the site (docs/sites.md).
 */
export const m066_site_protection = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("site_protected_paths")
      .addColumn("site_id", "text", (c) => c.notNull().references("sites.id").onDelete("cascade"))
      .addColumn("path", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("users", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("site_protected_paths_pkey", ["site_id", "path"])
      .execute();
    await db.schema
      .createTable("site_php_settings")
      .addColumn("site_id", "text", (c) =>
        c.primaryKey().references("sites.id").onDelete("cascade"),
      )
      .addColumn("settings", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
});
