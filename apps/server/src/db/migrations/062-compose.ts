import type { Migration } from "kysely";

/**
 * Compose stacks (issue 16, docs/apps.md): what a super user allows compose files to ask of a
 * node beyond an app's sandbox (privileged mode, the host's namespaces, devices, added
 * capabilities, unconfined security options, host paths). One row per node that allows
 * anything; no row: nothing beyond the sandbox. A compose app itself is an `apps` row whose
 * spec says so (no column of its own).
 */
export const m062_compose = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("app_compose_allowances")
      .addColumn("node_id", "text", (c) => c.primaryKey())
      /** JSON array of allowances (`privileged`, `host-network`, ...) */
      .addColumn("allow", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
});
