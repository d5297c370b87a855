import { type Migration, sql } from "kysely";

/**
 * A CMS site hosted by Steward (issue 17, docs/cms.md#a-steward-hosted-site): `site_id` the
 * Steward site it is served by (same account; set to null when that site goes) and
 * `backup_plan_id` the backup plan of the site's files and database whose run is the upgrade
 * task's restore point (null when the plan goes: the site's updates are then not applied until another is linked).
 */
export const m090_cms_hosted_site = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("cms_sites")
      .addColumn("site_id", "text", (c) => c.references("sites.id").onDelete("set null"))
      .execute();
    await db.schema
      .alterTable("cms_sites")
      .addColumn("backup_plan_id", "text", (c) =>
        c.references("backup_plans.id").onDelete("set null"),
      )
      .execute();
    // the foreign keys' deletes look the rows up by these
    await sql`create index cms_sites_site_idx on cms_sites (site_id)`.execute(db);
    await sql`create index cms_sites_backup_plan_idx on cms_sites (backup_plan_id)`.execute(db);
  },
});
