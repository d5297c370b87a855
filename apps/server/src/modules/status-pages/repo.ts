// SQL of status pages, their monitors and their incidents, nothing else.
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type {
  Database,
  StatusPageIncidentTable,
  StatusPageMonitorTable,
  StatusPageTable,
} from "../../db/schema.ts";
import { keyset } from "../../lib/keyset.ts";
import { countOfAccountIn } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type PageRow = Selectable<StatusPageTable>;
export type PageMonitorRow = Selectable<StatusPageMonitorTable>;
export type IncidentRow = Selectable<StatusPageIncidentTable>;

const pageOrder = keyset("status_pages.id", {});

/** A page of status pages in id order; what an actor sees is read one account at a time. */
export async function listPages<T>(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; cursor?: string },
  item: (row: PageRow) => T,
) {
  const walk = pageOrder(undefined, f.cursor);
  let q = walk.apply(db.selectFrom("status_pages").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, walk);
  return walk.page(rows, f.limit, item);
}

export const findPage = (db: Kysely<Database>, id: string) =>
  db.selectFrom("status_pages").selectAll().where("id", "=", id).executeTakeFirst();

export const findPageBySlug = (db: Kysely<Database>, slug: string) =>
  db.selectFrom("status_pages").selectAll().where("slug", "=", slug).executeTakeFirst();

export async function slugTaken(db: Kysely<Database>, slug: string, except?: string) {
  const row = await findPageBySlug(db, slug);
  return row !== undefined && row.id !== except;
}

export async function insertPage(db: Kysely<Database>, row: Insertable<StatusPageTable>) {
  await db.insertInto("status_pages").values(row).execute();
}

export async function updatePage(
  db: Kysely<Database>,
  id: string,
  set: Updateable<StatusPageTable>,
) {
  await db.updateTable("status_pages").set(set).where("id", "=", id).execute();
}

export async function deletePage(db: Kysely<Database>, id: string) {
  await db.deleteFrom("status_pages").where("id", "=", id).execute();
}

/** A page's monitors in their order (its primary key). */
export const pageMonitors = (db: Kysely<Database>, pageId: string) =>
  db
    .selectFrom("status_page_monitors")
    .selectAll()
    .where("status_page_id", "=", pageId)
    .orderBy("position")
    .execute();

/** Replaces a page's monitors with these, in this order. */
export async function setPageMonitors(
  db: Kysely<Database>,
  pageId: string,
  monitors: { monitorId: string; name: string }[],
) {
  await db.deleteFrom("status_page_monitors").where("status_page_id", "=", pageId).execute();
  if (monitors.length)
    await db
      .insertInto("status_page_monitors")
      .values(
        monitors.map((m, position) => ({
          status_page_id: pageId,
          position,
          monitor_id: m.monitorId,
          display_name: m.name,
        })),
      )
      .execute();
}

/** A page's incidents, newest first (ids begin with their time), at most `limit`. */
export const pageIncidents = (db: Kysely<Database>, pageId: string, limit: number) =>
  db
    .selectFrom("status_page_incidents")
    .selectAll()
    .where("status_page_id", "=", pageId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();

export const findIncident = (db: Kysely<Database>, pageId: string, id: string) =>
  db
    .selectFrom("status_page_incidents")
    .selectAll()
    .where("status_page_id", "=", pageId)
    .where("id", "=", id)
    .executeTakeFirst();

export async function insertIncident(
  db: Kysely<Database>,
  row: Insertable<StatusPageIncidentTable>,
) {
  await db.insertInto("status_page_incidents").values(row).execute();
}

export async function updateIncident(
  db: Kysely<Database>,
  id: string,
  set: Updateable<StatusPageIncidentTable>,
) {
  await db.updateTable("status_page_incidents").set(set).where("id", "=", id).execute();
}

export async function deleteIncident(db: Kysely<Database>, id: string) {
  await db.deleteFrom("status_page_incidents").where("id", "=", id).execute();
}

/** How many status pages an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "status_pages", accountId);
