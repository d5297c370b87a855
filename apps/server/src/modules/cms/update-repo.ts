// Every line of SQL of the CMS fleet's update tables (migrations 064 and 083): policies, each
// site's upgrade task, the update history and its updates' screenshots.
import type {
  CmsUpdateHistoryEntry,
  UpdatePolicy,
  UpdateWindow,
  VisualShotKind,
} from "@steward/contracts";
import { type Weekday, weekdays } from "@steward/contracts/notifications";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type {
  CmsUpdateHistoryTable,
  CmsUpdatePolicyTable,
  CmsUpgradeTable,
} from "../../db/schema-cms-updates.ts";

export type PolicyRow = Selectable<CmsUpdatePolicyTable>;
export type UpgradeRow = Selectable<CmsUpgradeTable>;
export type HistoryRow = Selectable<CmsUpdateHistoryTable>;

const iso = (ms: number) => new Date(Number(ms)).toISOString();
const minuteClock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** The days of a window as a bit set (bit 0 Monday) and back. */
export const daysToBits = (days: Weekday[]) =>
  days.reduce((bits, d) => bits | (1 << weekdays.indexOf(d)), 0);
const bitsToDays = (bits: number) => weekdays.filter((_, i) => (bits & (1 << i)) !== 0);

export const windowOf = (r: PolicyRow): UpdateWindow | null =>
  r.window_start === null || r.window_minutes === null || r.window_days === null
    ? null
    : {
        start: minuteClock(Number(r.window_start)),
        durationMinutes: Number(r.window_minutes),
        days: bitsToDays(Number(r.window_days)),
      };

export const toPolicy = (r: PolicyRow): UpdatePolicy => ({
  id: r.id,
  accountId: r.account_id,
  siteId: r.site_id || null,
  type: r.ext_type || null,
  slug: r.ext_slug || null,
  level: r.level,
  stableOnly: Number(r.stable_only) === 1,
  window: windowOf(r),
  keyword: r.keyword,
  skipVersion: r.skip_version,
  visualCheck: r.visual_check === null ? null : Number(r.visual_check) === 1 ? "on" : "off",
  visualThreshold: r.visual_threshold === null ? null : Number(r.visual_threshold),
  updatedAt: iso(r.updated_at),
});

/** An account's policies (its defaults and its sites'), by id: the account index's walk. */
export const policiesOfAccount = (db: Kysely<Database>, accountId: string, limit: number) =>
  db
    .selectFrom("cms_update_policies")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("id")
    .limit(limit)
    .execute();

/** The account's defaults and the site's own policies (the scope key's prefix). */
export const policiesOfSite = (db: Kysely<Database>, accountId: string, siteId: string) =>
  db
    .selectFrom("cms_update_policies")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("site_id", "in", ["", siteId])
    .execute();

export const findPolicy = (db: Kysely<Database>, id: string) =>
  db.selectFrom("cms_update_policies").selectAll().where("id", "=", id).executeTakeFirst();

export const findPolicyByScope = (
  db: Kysely<Database>,
  scope: Pick<PolicyRow, "account_id" | "site_id" | "ext_type" | "ext_slug">,
) =>
  db
    .selectFrom("cms_update_policies")
    .selectAll()
    .where("account_id", "=", scope.account_id)
    .where("site_id", "=", scope.site_id)
    .where("ext_type", "=", scope.ext_type)
    .where("ext_slug", "=", scope.ext_slug)
    .executeTakeFirst();

export async function insertPolicy(db: Kysely<Database>, row: Insertable<CmsUpdatePolicyTable>) {
  await db.insertInto("cms_update_policies").values(row).execute();
}

export async function replacePolicy(db: Kysely<Database>, row: PolicyRow) {
  const {
    id,
    account_id: _a,
    site_id: _s,
    ext_type: _t,
    ext_slug: _e,
    created_at: _c,
    ...set
  } = row;
  await db.updateTable("cms_update_policies").set(set).where("id", "=", id).execute();
}

export async function deletePolicy(db: Kysely<Database>, id: string) {
  await db.deleteFrom("cms_update_policies").where("id", "=", id).execute();
}

export const findUpgrade = (db: Kysely<Database>, siteId: string) =>
  db.selectFrom("cms_upgrades").selectAll().where("site_id", "=", siteId).executeTakeFirst();

/** Records the site's upgrade task and what people asked it to apply (one row per site). */
export async function saveUpgrade(db: Kysely<Database>, row: UpgradeRow) {
  const found = await findUpgrade(db, row.site_id);
  if (found)
    await db
      .updateTable("cms_upgrades")
      .set({
        task_id: row.task_id,
        requested: row.requested,
        announced: row.announced,
        updated_at: row.updated_at,
      })
      .where("site_id", "=", row.site_id)
      .execute();
  else await db.insertInto("cms_upgrades").values(row).execute();
}

export async function insertHistory(db: Kysely<Database>, row: Insertable<CmsUpdateHistoryTable>) {
  await db.insertInto("cms_update_history").values(row).execute();
}

export const toHistory = (r: HistoryRow): CmsUpdateHistoryEntry => ({
  id: r.id,
  siteId: r.site_id,
  taskId: r.task_id,
  type: r.ext_type,
  slug: r.ext_slug,
  from: r.from_version,
  to: r.to_version,
  outcome: r.outcome,
  message: r.message,
  statusBefore: r.status_before === null ? null : Number(r.status_before),
  statusAfter: r.status_after === null ? null : Number(r.status_after),
  visual:
    r.visual_threshold === null
      ? null
      : {
          percent: r.visual_percent === null ? null : Number(r.visual_percent),
          threshold: Number(r.visual_threshold),
          shots: Number(r.visual_shots) === 1,
        },
  at: iso(r.created_at),
});

/** An update's three screenshots (before, after, diff), written with its history row. */
export async function insertShots(
  db: Kysely<Database>,
  entry: { id: string; site_id: string },
  shots: Record<VisualShotKind, Uint8Array>,
) {
  const now = Date.now();
  await db
    .insertInto("cms_update_shots")
    .values(
      (["before", "after", "diff"] as const).map((kind) => ({
        history_id: entry.id,
        kind,
        site_id: entry.site_id,
        png: Buffer.from(shots[kind]),
        created_at: now,
      })),
    )
    .execute();
}

/**
 * Keeps the images of a site's `keep` latest updates that have them: older ones' are removed
 * and their history rows say so (`visual_shots` 0). Both walks are the site's indexes.
 */
export async function pruneShots(db: Kysely<Database>, siteId: string, keep: number) {
  const cut = await db
    .selectFrom("cms_update_shots")
    .select("history_id")
    .where("site_id", "=", siteId)
    .where("kind", "=", "diff")
    .orderBy("history_id", "desc")
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (!cut) return;
  await db
    .deleteFrom("cms_update_shots")
    .where("site_id", "=", siteId)
    .where("history_id", "<=", cut.history_id)
    .execute();
  await db
    .updateTable("cms_update_history")
    .set({ visual_shots: 0 })
    .where("site_id", "=", siteId)
    .where("id", "<=", cut.history_id)
    .where("visual_shots", "=", 1)
    .execute();
}

/** One screenshot of an update of the site (its primary key). */
export const findShot = (
  db: Kysely<Database>,
  siteId: string,
  historyId: string,
  kind: VisualShotKind,
) =>
  db
    .selectFrom("cms_update_shots")
    .select("png")
    .where("history_id", "=", historyId)
    .where("kind", "=", kind)
    .where("site_id", "=", siteId)
    .executeTakeFirst();

/** A site's latest updates, newest first (its index walked backwards). */
export const historyOfSite = (db: Kysely<Database>, siteId: string, limit: number) =>
  db
    .selectFrom("cms_update_history")
    .selectAll()
    .where("site_id", "=", siteId)
    .orderBy("id", "desc")
    .limit(limit)
    .execute();

/** A removed site's policies, upgrade task record and history go with it. */
export async function forgetSite(db: Kysely<Database>, accountId: string, siteId: string) {
  await db
    .deleteFrom("cms_update_policies")
    .where("account_id", "=", accountId)
    .where("site_id", "=", siteId)
    .execute();
  await db.deleteFrom("cms_upgrades").where("site_id", "=", siteId).execute();
  await db.deleteFrom("cms_update_history").where("site_id", "=", siteId).execute();
  await db.deleteFrom("cms_update_shots").where("site_id", "=", siteId).execute();
}

/** Remembers the offers announced for a site (the row made when the site has none yet). */
export async function setAnnounced(
  db: Kysely<Database>,
  site: { id: string; account_id: string },
  announced: string[],
) {
  const found = await findUpgrade(db, site.id);
  await saveUpgrade(db, {
    site_id: site.id,
    account_id: site.account_id,
    task_id: found?.task_id ?? null,
    requested: found?.requested ?? "[]",
    announced: JSON.stringify(announced),
    updated_at: Date.now(),
  });
}
