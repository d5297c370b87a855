import { type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * The safe updates' visual check (issue 17, docs/cms.md#the-visual-check): a site-wide policy
 * says whether the home page is screenshot before and after each update (`visual_check` 1 on,
 * 0 off, null: the account's, else off) and how much of it may change (`visual_threshold`, %
 * of the pixels; null: the account's, else 5). An update's history row keeps the % measured and
 * the threshold it was held to; `cms_update_shots` keeps its three images (before, after,
 * diff: PNG), removed with the site's history.
 */
export const m083_cms_visual_check = (dialect: Dialect): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("cms_update_policies")
      .addColumn("visual_check", "integer")
      .execute();
    await db.schema
      .alterTable("cms_update_policies")
      .addColumn("visual_threshold", "real")
      .execute();
    await db.schema.alterTable("cms_update_history").addColumn("visual_percent", "real").execute();
    await db.schema
      .alterTable("cms_update_history")
      .addColumn("visual_threshold", "real")
      .execute();
    await db.schema
      .alterTable("cms_update_history")
      .addColumn("visual_shots", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable("cms_update_shots")
      .addColumn("history_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("png", dialect === "postgres" ? "bytea" : "blob", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("cms_update_shots_pkey", ["history_id", "kind"])
      .execute();
    await sql`create index cms_update_shots_site_idx on cms_update_shots (site_id, history_id)`.execute(
      db,
    );
  },
});
