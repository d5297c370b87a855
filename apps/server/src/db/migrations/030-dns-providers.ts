import { type Migration, sql } from "kysely";

/**
 * dns-01 (C9): the DNS providers an account keeps for the ACME dns-01 challenge (Cloudflare
 * first), their API token sealed with the master key and the zones it was found to cover; a
 * certificate's challenge choice (`http-01`, `dns-01`, or null: dns-01 when a provider covers
 * every name) and whether it adds the wildcard of the site's primary domain.
 */
export const m030_dns_providers = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("dns_providers")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("token_enc", "text", (c) => c.notNull())
      /** JSON array of the zone names the token reaches (checked when added or tested) */
      .addColumn("zones", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addUniqueConstraint("dns_providers_account_name_key", ["account_id", "name"])
      .execute();
    await sql`create index dns_providers_account_idx on dns_providers (account_id, id)`.execute(db);
    await db.schema.alterTable("certificates").addColumn("challenge", "text").execute();
    await db.schema
      .alterTable("certificates")
      .addColumn("wildcard", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
});
