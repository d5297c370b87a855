// Every line of SQL of the backup_plans table.
import { type BackupPlan, type PlanActivity, retentionPolicy } from "@steward/contracts/backups";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { BackupPlanTable } from "../../db/schema-backups.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { countOfAccountIn, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type PlanRow = Selectable<BackupPlanTable>;
export type NewPlan = Insertable<BackupPlanTable>;

export const idsOf = (json: string) => JSON.parse(json) as string[];

const NO_ACTIVITY: PlanActivity = { lastRun: null, lastSuccessAt: null, storedBytes: 0 };

export function toPlan(
  row: PlanRow,
  nextRunAt: number | null = null,
  activity: PlanActivity = NO_ACTIVITY,
): BackupPlan {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    sourceIds: idsOf(row.source_ids),
    destinationIds: idsOf(row.destination_ids),
    schedule: row.schedule,
    timeZone: row.time_zone,
    compressionLevel: Number(row.compression_level),
    encryption: row.encryption,
    recipients: idsOf(row.recipients),
    retention: retentionPolicy.parse(JSON.parse(row.retention)),
    concurrency: Number(row.concurrency),
    enabled: Number(row.enabled) === 1,
    verify:
      row.verify_schedule === null
        ? null
        : { schedule: row.verify_schedule, timeZone: row.verify_time_zone ?? "UTC" },
    recoveryKitTakenAt:
      row.recovery_kit_taken_at === null ? null : msToIso(Number(row.recovery_kit_taken_at)),
    nextRunAt: nextRunAt === null ? null : msToIso(nextRunAt),
    activity,
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** The orders of the list, each an index walk (migration 041). */
export const planOrder = keyset("backup_plans.id", {
  name: { sql: "backup_plans.name" },
  createdAt: "id",
});

export async function listPlans(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("backup_plans").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(rows, f.limit, (row) => row);
}

/** A plan by id (none for null: an imported artifact may have no plan). */
export const findPlan = async (db: Kysely<Database>, id: string | null) =>
  id === null
    ? undefined
    : db.selectFrom("backup_plans").selectAll().where("id", "=", id).executeTakeFirst();

/** The plans of an account (a source or destination in use is not deleted). */
export const plansOfAccount = (db: Kysely<Database>, accountId: string) =>
  db
    .selectFrom("backup_plans")
    .select(["id", "name", "source_ids", "destination_ids"])
    .where("account_id", "=", accountId)
    .orderBy("account_id")
    .orderBy("id")
    .execute();

/** The names of the plans writing to a destination: its account's, or any account's for a
 *  shared one (no index: a deletion's check, never a list). */
export async function plansUsingDestination(
  db: Kysely<Database>,
  destinationId: string,
  accountId: string | null,
) {
  const plans =
    accountId === null
      ? await db
          .selectFrom("backup_plans")
          .select(["id", "name", "source_ids", "destination_ids"])
          .orderBy("id")
          .execute()
      : await plansOfAccount(db, accountId);
  return plans.filter((p) => idsOf(p.destination_ids).includes(destinationId)).map((p) => p.name);
}

export async function insertPlan(db: Kysely<Database>, row: NewPlan) {
  await db.insertInto("backup_plans").values(row).execute();
}

export async function updatePlan(
  db: Kysely<Database>,
  id: string,
  set: Updateable<BackupPlanTable>,
) {
  await db.updateTable("backup_plans").set(set).where("id", "=", id).execute();
}

export async function deletePlan(db: Kysely<Database>, id: string) {
  await db.deleteFrom("backup_plans").where("id", "=", id).execute();
}

/** The accounts of these plans (a sidecar names its plan: the explorer's owner of an object). */
export async function planAccounts(db: Kysely<Database>, ids: string[]) {
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom("backup_plans")
    .select(["id", "account_id"])
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.account_id]));
}

/** How many backup plans an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "backup_plans", accountId);
