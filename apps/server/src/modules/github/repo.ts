// Every line of SQL of the github_app, github_templates and github_repositories tables.
import type { GithubRepository, GithubTemplate } from "@steward/contracts";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type {
  GithubAppTable,
  GithubRepositoryTable,
  GithubTemplateTable,
} from "../../db/schema-github.ts";

export type AppRow = Selectable<GithubAppTable>;
export type TemplateRow = Selectable<GithubTemplateTable>;
export type RepositoryRow = Selectable<GithubRepositoryTable>;

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** the one row of github_app */
export const APP_ROW = "app";

export const findApp = (db: Kysely<Database>) =>
  db.selectFrom("github_app").selectAll().where("id", "=", APP_ROW).executeTakeFirst();

export async function saveApp(db: Kysely<Database>, row: Insertable<GithubAppTable>) {
  await db
    .insertInto("github_app")
    .values(row)
    .onConflict((oc) =>
      oc.column("id").doUpdateSet({
        app_id: row.app_id,
        private_key_enc: row.private_key_enc,
        key_fingerprint: row.key_fingerprint,
        default_owner: row.default_owner ?? null,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function deleteApp(db: Kysely<Database>) {
  await db.deleteFrom("github_app").where("id", "=", APP_ROW).execute();
}

export const toTemplate = (r: TemplateRow): GithubTemplate => ({
  id: r.id,
  accountId: r.account_id,
  owner: r.owner,
  repo: r.repo,
  description: r.description,
  defaultBranch: r.default_branch,
  createdAt: iso(r.created_at),
});

/** An account's templates (at most `limit`), by id: the account index's walk. */
export const templatesOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("github_templates")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id")
    .limit(limit)
    .execute();

export const findTemplate = (db: Kysely<Database>, id: string) =>
  db.selectFrom("github_templates").selectAll().where("id", "=", id).executeTakeFirst();

export const findTemplateOf = (
  db: Kysely<Database>,
  accountId: string,
  owner: string,
  repo: string,
) =>
  db
    .selectFrom("github_templates")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("owner", "=", owner)
    .where("repo", "=", repo)
    .executeTakeFirst();

export async function insertTemplate(db: Kysely<Database>, row: Insertable<GithubTemplateTable>) {
  await db.insertInto("github_templates").values(row).execute();
}

export async function updateTemplate(
  db: Kysely<Database>,
  id: string,
  change: Updateable<GithubTemplateTable>,
) {
  if (Object.keys(change).length === 0) return;
  await db.updateTable("github_templates").set(change).where("id", "=", id).execute();
}

export async function deleteTemplate(db: Kysely<Database>, id: string) {
  await db.deleteFrom("github_templates").where("id", "=", id).execute();
}

export const toRepository = (r: RepositoryRow): GithubRepository => ({
  id: r.id,
  accountId: r.account_id,
  templateId: r.template_id,
  owner: r.owner,
  name: r.name,
  private: Number(r.private) === 1,
  status: r.status,
  cloneUrl: r.clone_url,
  htmlUrl: r.html_url,
  error: r.error,
  taskId: r.task_id,
  createdAt: iso(r.created_at),
});

/** An account's generated repositories, newest first (at most `limit`): the account index. */
export const repositoriesOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("github_repositories")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();

export const findRepository = (db: Kysely<Database>, id: string) =>
  db.selectFrom("github_repositories").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertRepository(
  db: Kysely<Database>,
  row: Insertable<GithubRepositoryTable>,
) {
  await db.insertInto("github_repositories").values(row).execute();
}

export async function updateRepository(
  db: Kysely<Database>,
  id: string,
  change: Updateable<GithubRepositoryTable>,
) {
  await db
    .updateTable("github_repositories")
    .set({ ...change, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}
