import { type Migration, sql } from "kysely";

/**
 * Apps in containers (issue 16, docs/apps.md): an app of an account on a node runs a
 * container spec (JSON without its secret env values, which are sealed together with the
 * master key); each deploy is a deployment (its task, image, outcome and the containers the
 * agent reported). An app's name is unique on its node (the engine's container names are).
 */
export const m055_apps = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("apps")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("node_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("image", "text", (c) => c.notNull())
      /** JSON: the container spec without env values of secret variables */
      .addColumn("spec", "text", (c) => c.notNull())
      /** JSON object of the secret variables, sealed with the master key; null without any */
      .addColumn("secrets_sealed", "text")
      /** JSON array: the ports the last successful deploy published (host ports chosen) */
      .addColumn("published", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("last_error", "text")
      .addColumn("task_id", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("app_deployments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("app_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("task_id", "text")
      .addColumn("image", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("error", "text")
      /** JSON array: the containers the agent reported */
      .addColumn("containers", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("finished_at", "bigint")
      .execute();
    const indexes: [string, string, string][] = [
      ["apps_account_idx", "apps", "account_id, id"],
      ["apps_node_idx", "apps", "node_id, id"],
      ["app_deployments_app_idx", "app_deployments", "app_id, id"],
    ];
    for (const [name, table, columns] of indexes)
      await sql`create index ${sql.id(name)} on ${sql.id(table)} (${sql.raw(columns)})`.execute(db);
    await sql`create unique index apps_node_name_idx on apps (node_id, name)`.execute(db);
  },
});
