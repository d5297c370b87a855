import type { Migration } from "kysely";

/**
 * DNS (C10, issue 13): a zone may be signed (DNSSEC, PowerDNS only): `dnssec` is the wish,
 * `dnssec_keys` what the node last reported (JSON: the DS and DNSKEY records for the
 * registrar), null while unsigned.
 */
export const m036_dns_dnssec = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("dns_zones")
      .addColumn("dnssec", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable("dns_zones").addColumn("dnssec_keys", "text").execute();
  },
});
