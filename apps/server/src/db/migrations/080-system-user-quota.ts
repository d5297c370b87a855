import type { Migration } from "kysely";

/**
 * Disk quotas of system users (issue 19, docs/hosting.md#disk-usage): `quota_mb` is the limit
 * the panel asks of the node (null: none asked, the node's quota is left as it is; 0: no
 * limit), `quota_enforced` what the node's last sysusers.apply answered (1: setquota set it,
 * 0: the home's filesystem has no user quotas on, so usage is measured only; null: not known
 * yet).
 */
export const m080_system_user_quota = (): Migration => ({
  async up(db) {
    await db.schema.alterTable("system_users").addColumn("quota_mb", "integer").execute();
    await db.schema.alterTable("system_users").addColumn("quota_enforced", "integer").execute();
  },
});
