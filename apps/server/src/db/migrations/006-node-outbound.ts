import type { Migration } from "kysely";

/**
 * Each node's part of the outbound-target (SSRF) policy, set by super users: whether its
 * sites may reach private ranges, and more ranges it allows (a JSON array of CIDRs).
 */
export const m006_node_outbound = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("nodes")
      .addColumn("outbound_allow_private", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable("nodes")
      .addColumn("outbound_allow", "text", (c) => c.notNull().defaultTo("[]"))
      .execute();
  },
});
