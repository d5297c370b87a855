import type { Migration } from "kysely";

/**
 * A site whose removal was asked: 1 from the delete on, so that a removal that failed (status
 * `failed`) is retried as a removal, never re-applied. Every existing site gets 0.
 */
export const m018_site_removal = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("sites")
      .addColumn("removing", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
});
