import { type Migration, sql } from "kysely";

/**
 * DKIM, SPF and DMARC of mail domains (docs/mail.md#dkim-spf-and-dmarc): each domain's DKIM
 * keys by selector (only the public part: the private key is made on the node and stays
 * there), the newest signing and the one before kept published; each domain's record policy
 * (SPF's `all`, DMARC's policy and report mailbox; defaults without a row); and the DNS records Steward
 * made for a domain in a zone it manages, so that removing the domain takes away those and
 * no others. Read by domain, and a node's keys through its domains.
 */
export const m070_mail_dkim = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("mail_dkim_keys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("domain_id", "text", (c) => c.notNull())
      .addColumn("selector", "text", (c) => c.notNull())
      /** base64 DER SubjectPublicKeyInfo; null until the node has made the key */
      .addColumn("public_key", "text")
      /** pending | active | retired | failed */
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("mail_dns_policies")
      .addColumn("domain_id", "text", (c) => c.primaryKey())
      /** ~all | -all */
      .addColumn("spf_all", "text", (c) => c.notNull())
      /** none | quarantine | reject */
      .addColumn("dmarc_policy", "text", (c) => c.notNull())
      /** an address of the domain (a mailbox or an alias) DMARC's aggregate reports go to */
      .addColumn("dmarc_report", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("mail_dns_records")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("domain_id", "text", (c) => c.notNull())
      .addColumn("zone_id", "text", (c) => c.notNull())
      /** relative to the zone, as the DNS capability stores it */
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    for (const [name, table, columns] of [
      ["mail_dkim_keys_domain_selector_idx", "mail_dkim_keys", "domain_id, selector"],
      ["mail_dkim_keys_domain_idx", "mail_dkim_keys", "domain_id, id"],
      ["mail_dns_records_domain_idx", "mail_dns_records", "domain_id, id"],
    ] as const)
      await sql`create ${sql.raw(name.endsWith("selector_idx") ? "unique " : "")}index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(
        db,
      );
  },
});
