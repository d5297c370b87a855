import type { Migration } from "kysely";

/**
 * The version of a node's agent as its last health answer gave it (the heartbeat writes it;
 * null until one has): the console shows which nodes run an agent older than the one the
 * panel serves (docs/install.md, "Upgrading agents").
 */
export const m069_node_agent_version = (): Migration => ({
  async up(db) {
    await db.schema.alterTable("nodes").addColumn("agent_version", "text").execute();
  },
});
