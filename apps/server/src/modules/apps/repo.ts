// Every line of SQL of the apps and app_deployments tables.
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from "kysely";
import type { AppDeploymentTable, AppTable, Database } from "../../db/schema.ts";
import { keyset } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { countOfAccountIn, likeContains } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type AppRow = Selectable<AppTable>;
export type DeploymentRow = Selectable<AppDeploymentTable>;

/** The apps list's filters (docs/apps.md#the-list); each has its indexes (migration 093). */
export interface AppFilter {
  account?: string | undefined;
  node?: string | undefined;
  status?: AppRow["status"] | undefined;
  source?: AppRow["source"] | undefined;
  /** part of the name */
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** newest first: the id's order, backwards */
const appOrder = keyset("apps.id", { createdAt: "id" });

/**
 * A page of apps, newest first; the apps an actor sees are read one account (or app) at a time
 * when they are a few (lib/walks.ts), each walk along the (account, filter, id) index.
 */
export async function listApps(db: Kysely<Database>, scope: ListScope, f: AppFilter) {
  const walk = appOrder("-createdAt", f.cursor);
  let q = walk.apply(db.selectFrom("apps").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.node) q = q.where("node_id", "=", f.node);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.source) q = q.where("source", "=", f.source);
  // names are lowercase (contracts' appName)
  if (f.q) q = q.where(likeContains(sql.ref("name"), f.q.toLowerCase()));
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, walk);
  return walk.page(rows, f.limit, (row: AppRow) => row);
}

export const findApp = (db: Kysely<Database>, id: string) =>
  db.selectFrom("apps").selectAll().where("id", "=", id).executeTakeFirst();

/**
 * The names an account's apps take on a node starting with `prefix` (an app's name and its
 * suffixed forms).
 */
export const namesInAccountOnNode = (
  db: Kysely<Database>,
  accountId: string,
  nodeId: string,
  prefix: string,
) =>
  db
    .selectFrom("apps")
    .select("name")
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .where("name", ">=", prefix)
    .where("name", "<", `${prefix}\u{10FFFF}`)
    .execute();

export async function insertApp(db: Kysely<Database>, row: Insertable<AppTable>) {
  await db.insertInto("apps").values(row).execute();
}

export async function updateApp(db: Kysely<Database>, id: string, set: Updateable<AppTable>) {
  await db
    .updateTable("apps")
    .set({ ...set, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteApp(db: Kysely<Database>, id: string) {
  await db.deleteFrom("app_deployments").where("app_id", "=", id).execute();
  await db.deleteFrom("apps").where("id", "=", id).execute();
}

/** An app's latest deployments, newest first. */
export const deploymentsOf = (db: Kysely<Database>, appId: string, limit = 10) =>
  db
    .selectFrom("app_deployments")
    .selectAll()
    .where("app_id", "=", appId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();

export const findDeployment = (db: Kysely<Database>, id: string) =>
  db.selectFrom("app_deployments").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertDeployment(db: Kysely<Database>, row: Insertable<AppDeploymentTable>) {
  await db.insertInto("app_deployments").values(row).execute();
}

export async function updateDeployment(
  db: Kysely<Database>,
  id: string,
  set: Updateable<AppDeploymentTable>,
) {
  await db.updateTable("app_deployments").set(set).where("id", "=", id).execute();
}

/** Apps' names by id (audit events and task titles). */
export const appNames = namesById("apps", "name");

/**
 * The host ports an account's apps publish on a node (TCP, as their last deploys reported):
 * what the sites' upstream policy lets that account's proxy sites reach on the node itself.
 */
export async function publishedPortsOf(
  db: Kysely<Database>,
  accountId: string,
  nodeId: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom("apps")
    .select("published")
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .execute();
  return rows.flatMap((r) =>
    (JSON.parse(r.published) as { host: number; protocol: string }[])
      .filter((p) => p.protocol === "tcp")
      .map((p) => p.host),
  );
}

/** How many apps an account owns: at most MAX_PER_ACCOUNT; an account owning any stays. */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "apps", accountId);
