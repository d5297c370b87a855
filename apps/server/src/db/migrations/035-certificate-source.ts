import { type Migration, sql } from "kysely";

/**
 * Uploaded certificates and ARI (issue 13): where a site's certificate came from (`acme`, or
 * `upload`: installed as given, warned about before expiry, never renewed by the scan), and
 * an ACME one's ARI certID (RFC 9773) and when the daily scan next asks the CA's renewalInfo
 * about it (null: the CA has none), with the index the scan walks.
 */
export const m035_certificate_source = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("certificates")
      .addColumn("source", "text", (c) => c.notNull().defaultTo("acme"))
      .execute();
    await db.schema.alterTable("certificates").addColumn("ari_id", "text").execute();
    await db.schema.alterTable("certificates").addColumn("ari_next_at", "bigint").execute();
    await sql`create index certificates_ari_idx on certificates (ari_next_at, id)`.execute(db);
  },
});
