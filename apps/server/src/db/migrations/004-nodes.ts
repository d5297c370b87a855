import type { Migration } from "kysely";

/**
 * Nodes (servers running `steward agent`), their enrollment tokens, and the installation's
 * PKI: the CA and the panel's client certificate, private keys sealed with the master key.
 */
export const m004_nodes = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("pki")
      // "ca" or "panel": one row each, so concurrent first use inserts one and reads it back
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("certificate", "text", (c) => c.notNull())
      .addColumn("key_enc", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("nodes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique())
      .addColumn("agent_url", "text", (c) => c.notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("cert_fingerprint", "text")
      .addColumn("cert_expires_at", "bigint")
      // a certificate issued by a rotation and sent to the agent, until it is seen in use
      .addColumn("cert_next_fingerprint", "text")
      .addColumn("cert_next_expires_at", "bigint")
      .addColumn("facts", "text")
      .addColumn("last_seen_at", "bigint")
      .addColumn("last_error", "text")
      .addColumn("missed_heartbeats", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("local", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    // lists filter by state and page by id
    await db.schema.createIndex("nodes_state_idx").on("nodes").columns(["state", "id"]).execute();
    await db.schema
      .createTable("node_enrollments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("node_id", "text", (c) => c.notNull().references("nodes.id").onDelete("cascade"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .addColumn("created_by", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("node_enrollments_node_idx")
      .on("node_enrollments")
      .column("node_id")
      .execute();
  },
});
