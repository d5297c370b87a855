import type { Migration } from "kysely";

/**
 * Status pages (issue 12): an account's public page (a unique slug) listing some of its
 * monitors under public display names, with incident notes.
 *
 * Indexes: the slug (unique: the public page's lookup), the list's walks (an account's pages,
 * all pages), a page's monitors (the primary key, in their order) and its incidents (newest
 * first by id, which begins with its time).
 */
export const m027_status_pages = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("status_pages")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("slug", "text", (c) => c.notNull().unique())
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("status_pages_account_idx")
      .on("status_pages")
      .columns(["account_id", "id"])
      .execute();
    await db.schema
      .createTable("status_page_monitors")
      .addColumn("status_page_id", "text", (c) =>
        c.notNull().references("status_pages.id").onDelete("cascade"),
      )
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("monitor_id", "text", (c) =>
        c.notNull().references("monitors.id").onDelete("cascade"),
      )
      /** the name the public sees (the monitor's own name when empty) */
      .addColumn("display_name", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("status_page_monitors_pk", ["status_page_id", "position"])
      .execute();
    await db.schema
      .createIndex("status_page_monitors_monitor_idx")
      .on("status_page_monitors")
      .columns(["monitor_id"])
      .execute();
    await db.schema
      .createTable("status_page_incidents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("status_page_id", "text", (c) =>
        c.notNull().references("status_pages.id").onDelete("cascade"),
      )
      .addColumn("title", "text", (c) => c.notNull())
      /** plain text */
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("started_at", "bigint", (c) => c.notNull())
      .addColumn("resolved_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("status_page_incidents_page_idx")
      .on("status_page_incidents")
      .columns(["status_page_id", "id"])
      .execute();
  },
});
