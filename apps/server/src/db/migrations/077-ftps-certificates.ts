import type { Migration } from "kysely";

/**
 * FTPS with the certificates capability (docs/hosting.md#ftps-certificate): per node, the site
 * whose certificate pure-ftpd serves (one row per node; looked up by site when that site's
 * certificate is renewed), the serial last installed and the task that did it.
 */
export const m077_ftps_certificates = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("ftp_certificates")
      .addColumn("node_id", "text", (c) => c.primaryKey())
      .addColumn("site_id", "text", (c) => c.notNull())
      .addColumn("serial", "text")
      .addColumn("task_id", "text")
      .addColumn("last_error", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("ftp_certificates_site_idx")
      .on("ftp_certificates")
      .column("site_id")
      .execute();
  },
});
