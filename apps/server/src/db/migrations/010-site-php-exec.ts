import type { Migration } from "kysely";

/**
 * Per-site process execution for PHP: off (0) unless the site allows it, which is what every
 * site made before this migration gets (the agent disables exec, shell_exec, proc_open...).
 */
export const m010_site_php_exec = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("sites")
      .addColumn("php_allow_exec", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
});
