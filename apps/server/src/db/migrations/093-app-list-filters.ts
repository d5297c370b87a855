import { type Kysely, type Migration, sql } from "kysely";

/**
 * The apps list pages and filters (issue 16 follow-up, docs/apps.md#the-list): what an app runs
 * (`source`: image, git or compose) becomes a column, set from what decided it until now (a git
 * source row, else a spec whose `source` is compose), so that the list filters by it along an
 * index. Each filter has its (filter, id) index for who sees every app and its (account, filter,
 * id) index for the walks of one account at a time (docs/architecture.md, "Lists").
 */
export const m093_app_list_filters = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("apps")
      .addColumn("source", "text", (c) => c.notNull().defaultTo("image"))
      .execute();
    // biome-ignore lint/suspicious/noExplicitAny: the tables as this migration finds them
    const k = db as Kysely<any>;
    const git = k.selectFrom("app_git_sources").select("app_id");
    await k.updateTable("apps").set({ source: "git" }).where("id", "in", git).execute();
    const rows: { id: string; spec: string }[] = await k
      .selectFrom("apps")
      .select(["id", "spec"])
      .where("source", "=", "image")
      .execute();
    const stacks = rows
      .filter((r) => (JSON.parse(r.spec) as { source?: string }).source === "compose")
      .map((r) => r.id);
    if (stacks.length)
      await k.updateTable("apps").set({ source: "compose" }).where("id", "in", stacks).execute();
    const indexes: [string, string][] = [
      ["apps_status_idx", "status, id"],
      ["apps_source_idx", "source, id"],
      ["apps_account_node_idx", "account_id, node_id, id"],
      ["apps_account_status_idx", "account_id, status, id"],
      ["apps_account_source_idx", "account_id, source, id"],
    ];
    for (const [name, columns] of indexes)
      await sql`create index ${sql.id(name)} on apps (${sql.raw(columns)})`.execute(db);
  },
});
