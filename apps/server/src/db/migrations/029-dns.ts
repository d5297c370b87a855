import { type Migration, sql } from "kysely";

/**
 * Authoritative DNS (C10): zones as desired state (the node serving it, the serial wanted and
 * the one last served, the backend the node reported) and their records, canonical as
 * contracts' checkZone leaves them. The zones list walks creation order (the id) for everyone,
 * within an account, a node, or both; a zone's records are read whole, by zone.
 */
export const m029_dns = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("dns_zones")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("backend", "text")
      .addColumn("serial", "bigint", (c) => c.notNull())
      .addColumn("applied_serial", "bigint")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    const indexes: [string, string][] = [
      ["dns_zones_account_idx", "account_id, id"],
      ["dns_zones_node_idx", "node_id, id"],
      ["dns_zones_account_node_idx", "account_id, node_id, id"],
    ];
    for (const [name, columns] of indexes)
      await sql`create index ${sql.id(name)} on dns_zones (${sql.raw(columns)})`.execute(db);
    await db.schema
      .createTable("dns_records")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("zone_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("ttl", "integer", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .execute();
    await sql`create index dns_records_zone_idx on dns_records (zone_id, id)`.execute(db);
  },
});
