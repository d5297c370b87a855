import { type Kysely, type Migration, sql } from "kysely";
import type { Dialect } from "../open.ts";

/**
 * DNS zones at an external provider (issue 13, docs/dns.md "Zones at Cloudflare"): a zone is
 * served either by a node (`node_id`) or by a DNS provider of its account (`provider_id`, the
 * Cloudflare token of `dns_providers`), so `node_id` may now be null; `full_sync` 1 makes the
 * panel the only writer of the provider's records (records Steward did not write are deleted
 * too). A provider's zones are a walk of (provider, id). SQLite cannot drop a NOT NULL: the
 * zones' table is rebuilt (rows and indexes as they were).
 */
export const m043_dns_zone_providers = (dialect: Dialect): Migration => ({
  async up(db) {
    if (dialect === "postgres") {
      await sql`alter table dns_zones alter column node_id drop not null`.execute(db);
      await db.schema.alterTable("dns_zones").addColumn("provider_id", "text").execute();
      await db.schema
        .alterTable("dns_zones")
        .addColumn("full_sync", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    } else await rebuildZones(db);
    await sql`create index dns_zones_provider_idx on dns_zones (provider_id, id)`.execute(db);
  },
});

async function rebuildZones(db: Kysely<unknown>) {
  await db.schema
    .createTable("dns_zones_043")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("node_id", "text")
    .addColumn("provider_id", "text")
    .addColumn("full_sync", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("backend", "text")
    .addColumn("serial", "bigint", (c) => c.notNull())
    .addColumn("applied_serial", "bigint")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("task_id", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("dnssec", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("dnssec_keys", "text")
    .execute();
  await sql`insert into dns_zones_043 (id, name, account_id, node_id, backend, serial,
      applied_serial, status, last_error, task_id, created_at, updated_at, dnssec, dnssec_keys)
    select id, name, account_id, node_id, backend, serial, applied_serial, status, last_error,
      task_id, created_at, updated_at, dnssec, dnssec_keys from dns_zones`.execute(db);
  await db.schema.dropTable("dns_zones").execute();
  await db.schema.alterTable("dns_zones_043").renameTo("dns_zones").execute();
  const indexes: [string, string][] = [
    ["dns_zones_account_idx", "account_id, id"],
    ["dns_zones_node_idx", "node_id, id"],
    ["dns_zones_account_node_idx", "account_id, node_id, id"],
  ];
  for (const [name, columns] of indexes)
    await sql`create index ${sql.id(name)} on dns_zones (${sql.raw(columns)})`.execute(db);
}
