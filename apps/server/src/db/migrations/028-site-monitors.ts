import type { Migration } from "kysely";

/**
 * A site's default monitor (issue 12: "Sites get an HTTP monitor by default"): the site a
 * monitor was made for, removed with it (the foreign key's cascade, in the statement that
 * deletes the site), and an index of it (the cascade's lookup, the site's monitor found).
 */
export const m028_site_monitors = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("monitors")
      .addColumn("site_id", "text", (c) => c.references("sites.id").onDelete("cascade"))
      .execute();
    await db.schema.createIndex("monitors_site_idx").on("monitors").column("site_id").execute();
  },
});
