import type { Migration } from "kysely";

/**
 * A node's firewall (issue 19, docs/firewall.md), one row per node: the rules as saved (JSON:
 * rules, blocked addresses, SSH rate limit), how long the node waits for the confirmation and
 * whether the panel gives it by itself, the saved revision and the one the node runs, where
 * the last apply stands (status, message, when the node reverts unless confirmed, a person's
 * confirmation), the address the node last saw the panel from, and the applying task.
 */
export const m060_node_firewalls = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("node_firewalls")
      .addColumn("node_id", "text", (c) => c.primaryKey())
      .addColumn("rules", "text", (c) => c.notNull())
      .addColumn("confirm_seconds", "integer", (c) => c.notNull())
      .addColumn("auto_confirm", "integer", (c) => c.notNull())
      .addColumn("revision", "integer", (c) => c.notNull())
      .addColumn("applied_revision", "integer")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("message", "text")
      .addColumn("revert_at", "bigint")
      .addColumn("confirmed_revision", "integer")
      .addColumn("panel_address", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
});
