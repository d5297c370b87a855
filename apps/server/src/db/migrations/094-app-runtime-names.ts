import { type Kysely, type Migration, sql } from "kysely";

/**
 * An app's name is its account's, its runtime name the node's (docs/apps.md, "Names"): two
 * accounts sharing a node may each have an app `web`, and neither learns of the other's (an
 * account's second `web` on the node was `web-2` because another account had one). The engine's
 * names (the container, the compose project and its volumes) come from `runtime_name`, unique on
 * the node: the app's name and six characters of its id for apps made from now on; the app's
 * name for the apps already running under it.
 */
export const m094_app_runtime_names = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("apps")
      .addColumn("runtime_name", "text", (c) => c.notNull().defaultTo(""))
      .execute();
    // biome-ignore lint/suspicious/noExplicitAny: the tables as this migration finds them
    const k = db as Kysely<any>;
    await k.updateTable("apps").set({ runtime_name: sql`name` }).execute();
    await sql`drop index apps_node_name_idx`.execute(db);
    await sql`create unique index apps_node_runtime_idx on apps (node_id, runtime_name)`.execute(
      db,
    );
    await sql`create unique index apps_account_node_name_idx on apps (account_id, node_id, name)`.execute(
      db,
    );
  },
});
