import { type Migration, sql } from "kysely";
import { newId } from "../../lib/ids.ts";

/**
 * Abandoned extensions and the upgrade scan of older installations (issue 17, docs/cms.md).
 *
 * `cms_plugin_releases` caches what wordpress.org's plugin directory says of a plugin (by its
 * directory slug, the plugin's folder): when it last released (null when the directory does not
 * have it) and when Steward asked. The fleet's rows get that date (`released_at`) and whether it
 * is older than the installation's limit (`abandoned`, set at each refresh of the site), walked
 * as `outdated` is: (account, abandoned, id) and, for a super user, (abandoned, id).
 *
 * An installation whose default tasks were installed before `cms.upgrade-scan` was one of them
 * (it has their `logrotate`) gets the scan, every 5 minutes, and the plugin directory's lookups,
 * hourly, as a new one would, unless it has a task of that kind already (one a super user
 * added, cancelled or disabled is left as it is).
 */
export const m075_cms_plugin_directory = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("cms_plugin_releases")
      .addColumn("slug", "text", (c) => c.primaryKey())
      .addColumn("last_updated", "bigint")
      .addColumn("fetched_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.alterTable("cms_extensions").addColumn("released_at", "bigint").execute();
    await db.schema
      .alterTable("cms_extensions")
      .addColumn("abandoned", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`create index cms_extensions_abandoned_idx on cms_extensions (account_id, abandoned, id)`.execute(
      db,
    );
    await sql`create index cms_extensions_abandoned_all_idx on cms_extensions (abandoned, id)`.execute(
      db,
    );

    const installed = await sql`select 1 from tasks where kind = 'logrotate' limit 1`.execute(db);
    if (installed.rows.length === 0) return;
    for (const [kind, expression, priority] of [
      ["cms.upgrade-scan", "*/5 * * * *", 3],
      ["cms.plugin-directory", "41 * * * *", 7],
    ] as const) {
      const had = await sql`select 1 from tasks where kind = ${kind} limit 1`.execute(db);
      if (had.rows.length > 0) continue;
      const now = Date.now();
      await sql`insert into tasks (id, kind, payload, state, enabled, priority, run_at, expression,
        timezone, on_success, attempts, max_attempts, unique_key, cancel_requested, created_at,
        updated_at)
        values (${newId("task", now)}, ${kind}, '{}', 'queued', 1, ${priority}, ${now},
        ${expression}, 'UTC', 'disable', 0, 1, ${`${kind}:${kind}`}, 0, ${now}, ${now})`.execute(
        db,
      );
    }
  },
});
