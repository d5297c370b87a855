import type { Migration } from "kysely";

/**
 * DNS secondaries through the panel (issue 13, docs/dns.md "Secondaries"): a node's DNS
 * address (`nodes.dns_address`, `IPv4:port`: where other nodes reach its DNS server for AXFR
 * and NOTIFY), and `dns_zone_secondaries`, the other nodes serving a zone by transfer from
 * its node: one row per (zone, node), read by the zone's walk of its primary key and by the
 * node's index (a node's secondaries).
 */
export const m049_dns_secondaries = (): Migration => ({
  async up(db) {
    await db.schema.alterTable("nodes").addColumn("dns_address", "text").execute();
    await db.schema
      .createTable("dns_zone_secondaries")
      .addColumn("zone_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("dns_zone_secondaries_pk", ["zone_id", "node_id"])
      .execute();
    await db.schema
      .createIndex("dns_zone_secondaries_node_idx")
      .on("dns_zone_secondaries")
      .columns(["node_id", "zone_id"])
      .execute();
  },
});
