import type { Migration } from "kysely";

/**
 * Websites: the desired state of each site (what the panel wants the node to serve) and the
 * names it answers to, one row per name so a name belongs to one site only.
 */
export const m005_sites = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("sites")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("primary_domain", "text", (c) => c.notNull())
      .addColumn("domains", "text", (c) => c.notNull())
      .addColumn("aliases", "text", (c) => c.notNull())
      .addColumn("redirect", "text", (c) => c.notNull())
      .addColumn("root", "text", (c) => c.notNull())
      .addColumn("upstream", "text")
      .addColumn("system_user", "text", (c) => c.notNull().unique())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("suspended", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("keep_files", "integer", (c) => c.notNull().defaultTo(1))
      /** bumped by every change; the apply task records which version the node has */
      .addColumn("desired_version", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("applied_version", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("sites_node_idx").on("sites").columns(["node_id", "id"]).execute();
    await db.schema
      .createIndex("sites_account_idx")
      .on("sites")
      .columns(["account_id", "id"])
      .execute();
    await db.schema
      .createTable("site_domains")
      .addColumn("domain", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("site_domains_site_idx")
      .on("site_domains")
      .column("site_id")
      .execute();
  },
});
