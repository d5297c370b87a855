// What backup plans did lately and keep (the plans list, a plan's page, the dashboard): reads
// of backup_runs and backup_artifacts, each an index walk stopped early or a sum along the
// plan's live artifacts (migration 053). runs-repo.ts holds the rest of their SQL.
import { countLimit } from "@steward/contracts";
import type { PlanActivity } from "@steward/contracts/backups";
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import { idAt } from "../../lib/ids.ts";
import { isoOrNull } from "../../lib/sql.ts";
import { byIdDesc, type ListScope, pageOfWalks } from "../../lib/walks.ts";
import { RUN_ID, type RunRow } from "./runs-repo.ts";

const num = (v: number | string | null) => (v === null ? null : Number(v));

/**
 * Each plan's newest run, its last success and the bytes of the artifacts it keeps: per plan an
 * index walk stopped after one row ((plan_id, id), (plan_id, status, id)) and a sum along the
 * plan's live artifacts (migration 053's partial index).
 */
export async function activityOf(
  db: Kysely<Database>,
  planIds: string[],
): Promise<Map<string, PlanActivity>> {
  const runs = (planId: string) => db.selectFrom("backup_runs").where("plan_id", "=", planId);
  const one = async (planId: string): Promise<[string, PlanActivity]> => {
    const [last, success, stored] = await Promise.all([
      runs(planId)
        .select(["id", "status", "finished_at"])
        .orderBy("plan_id")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst(),
      runs(planId)
        .select("finished_at")
        .where("status", "=", sql.lit("succeeded"))
        .orderBy("plan_id")
        .orderBy("status")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst(),
      db
        .selectFrom("backup_artifacts")
        .select(sql<number | string | null>`sum(bytes)`.as("bytes"))
        .where("plan_id", "=", planId)
        .where("deleted_at", "is", null)
        .executeTakeFirst(),
    ]);
    return [
      planId,
      {
        lastRun: last
          ? { id: last.id, status: last.status, finishedAt: isoOrNull(num(last.finished_at)) }
          : null,
        lastSuccessAt: isoOrNull(num(success?.finished_at ?? null)),
        storedBytes: Number(stored?.bytes ?? 0),
      },
    ];
  };
  return new Map(await Promise.all(planIds.map(one)));
}

/**
 * The runs that failed or were partial since `since` (ms), newest first: their number (stopping
 * past countLimit) and the first `limit` of them. Each status is read newest first along
 * (status, id) or, one account at a time, (account, status, id), ids only and stopped after
 * countLimit + 1; the ones since `since` are told by their time-ordered ids.
 */
export async function failuresSince(
  db: Kysely<Database>,
  scope: ListScope,
  since: number,
  limit: number,
): Promise<{ count: number; runs: RunRow[] }> {
  const floor = idAt(RUN_ID, since);
  const newest = async (status: "failed" | "partial") => {
    let q = db
      .selectFrom("backup_runs")
      .select("id")
      .where("status", "=", sql.lit(status))
      .orderBy("id", "desc")
      .limit(countLimit + 1);
    if (scope.where) q = q.where(scope.where);
    return pageOfWalks(db, scope.walks, countLimit + 1, q);
  };
  const [failed, partial] = await Promise.all([newest("failed"), newest("partial")]);
  const recent = [...failed, ...partial].filter((r) => r.id >= floor).sort(byIdDesc);
  const ids = recent.slice(0, limit).map((r) => r.id);
  const rows = ids.length
    ? await db.selectFrom("backup_runs").selectAll().where("id", "in", ids).execute()
    : [];
  return { count: Math.min(recent.length, countLimit + 1), runs: rows.sort(byIdDesc) };
}
