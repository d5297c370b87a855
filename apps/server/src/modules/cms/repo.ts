// Every line of SQL of the cms_sites table.
import type { CmsDiagnosis, CmsInfo, CmsSite } from "@steward/contracts";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { CmsSiteTable, Database } from "../../db/schema.ts";
import { countOfAccountIn } from "../../lib/sql.ts";

export type CmsSiteRow = Selectable<CmsSiteTable>;

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export const toCmsSite = (r: CmsSiteRow): CmsSite => ({
  id: r.id,
  accountId: r.account_id,
  name: r.name,
  kind: r.kind,
  url: r.url,
  username: r.username,
  timezone: r.timezone,
  coreVersion: r.core_version,
  updatesAvailable: Number(r.updates_available),
  info: r.info ? (JSON.parse(r.info) as CmsInfo) : null,
  refreshedAt: iso(r.refreshed_at),
  refreshError: r.refresh_error,
  diagnosis: r.diagnosis ? (JSON.parse(r.diagnosis) as CmsDiagnosis) : null,
  hosted: r.site_id && r.backup_plan_id ? { site: r.site_id, backupPlan: r.backup_plan_id } : null,
  createdAt: new Date(Number(r.created_at)).toISOString(),
  updatedAt: new Date(Number(r.updated_at)).toISOString(),
});

/** An account's sites (at most `limit`), by id: the account index's walk. */
export const sitesOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("cms_sites")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id")
    .limit(limit)
    .execute();

export const findSite = (db: Kysely<Database>, id: string) =>
  db.selectFrom("cms_sites").selectAll().where("id", "=", id).executeTakeFirst();

export const findSiteByName = (db: Kysely<Database>, accountId: string, name: string) =>
  db
    .selectFrom("cms_sites")
    .select("id")
    .where("account_id", "=", accountId)
    .where("name", "=", name)
    .executeTakeFirst();

export async function insertSite(db: Kysely<Database>, row: Insertable<CmsSiteTable>) {
  await db.insertInto("cms_sites").values(row).execute();
}

export async function updateSite(
  db: Kysely<Database>,
  id: string,
  patch: Omit<Updateable<CmsSiteTable>, "id" | "account_id">,
) {
  await db
    .updateTable("cms_sites")
    .set({ ...patch, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteSite(db: Kysely<Database>, id: string) {
  await db.deleteFrom("cms_sites").where("id", "=", id).execute();
}

/** Sites offered updates at their last refresh, after `afterId` by id: the upgrade scan's pages. */
export const sitesWithOffers = (db: Kysely<Database>, afterId: string, limit: number) =>
  db
    .selectFrom("cms_sites")
    .selectAll()
    .where("id", ">", afterId)
    .where("updates_available", ">", 0)
    .orderBy("id")
    .limit(limit)
    .execute();

/** How many CMS sites an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "cms_sites", accountId);
