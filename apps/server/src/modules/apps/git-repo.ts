// Every line of SQL of the app_git_sources and app_webhook_deliveries tables (migration 063).
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { AppGitSourceTable, Database } from "../../db/schema.ts";

export type GitSourceRow = Selectable<AppGitSourceTable>;

/** how long a delivery id is remembered (GitHub redelivers only by hand, within days) */
const DELIVERY_KEPT_MS = 30 * 24 * 3600_000;

export const findGitSource = (db: Kysely<Database>, appId: string) =>
  db.selectFrom("app_git_sources").selectAll().where("app_id", "=", appId).executeTakeFirst();

export async function insertGitSource(db: Kysely<Database>, row: Insertable<AppGitSourceTable>) {
  await db.insertInto("app_git_sources").values(row).execute();
}

export async function updateGitSource(
  db: Kysely<Database>,
  appId: string,
  set: Updateable<AppGitSourceTable>,
) {
  await db
    .updateTable("app_git_sources")
    .set({ ...set, updated_at: Date.now() })
    .where("app_id", "=", appId)
    .execute();
}

/** An app's git source and remembered deliveries go with it. */
export async function deleteGitSource(db: Kysely<Database>, appId: string) {
  await db.deleteFrom("app_webhook_deliveries").where("app_id", "=", appId).execute();
  await db.deleteFrom("app_git_sources").where("app_id", "=", appId).execute();
}

/**
 * Remembers a delivery: false when it was received before (a replay). Deliveries older than
 * the kept window are forgotten on the way.
 */
export async function rememberDelivery(
  db: Kysely<Database>,
  appId: string,
  deliveryId: string,
  now = Date.now(),
): Promise<boolean> {
  await db
    .deleteFrom("app_webhook_deliveries")
    .where("app_id", "=", appId)
    .where("received_at", "<", now - DELIVERY_KEPT_MS)
    .execute();
  const inserted = await db
    .insertInto("app_webhook_deliveries")
    .values({ app_id: appId, delivery_id: deliveryId, received_at: now })
    .onConflict((oc) => oc.columns(["app_id", "delivery_id"]).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The git sources of these apps (a page of the list), by primary key. */
export const gitSourcesOf = (db: Kysely<Database>, appIds: readonly string[]) =>
  appIds.length === 0
    ? Promise.resolve([] as GitSourceRow[])
    : db.selectFrom("app_git_sources").selectAll().where("app_id", "in", appIds).execute();
