// Every line of SQL of the cron_jobs and cron_runs tables.
import type { CronEnv, CronJob } from "@steward/contracts/hosting";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { CronJobTable, CronRunTable } from "../../db/schema-cron.ts";
import { keyset } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type CronJobRow = Selectable<CronJobTable>;
export type CronRunRow = Selectable<CronRunTable>;

/** An account keeps at most this many cron jobs per node (one file). */
export const MAX_PER_NODE = 500;

export function toCronJob(r: CronJobRow, user: string, run: CronRunRow | undefined): CronJob {
  return {
    id: r.id,
    accountId: r.account_id,
    nodeId: r.node_id,
    systemUserId: r.system_user_id,
    user,
    schedule: r.schedule,
    command: r.command,
    env: JSON.parse(r.env) as CronEnv,
    enabled: Number(r.enabled) === 1,
    status: r.status,
    lastError: r.last_error,
    taskId: r.task_id,
    lastRun: run
      ? {
          taskId: run.task_id,
          kind: run.kind,
          at: run.finished_at === null ? null : msToIso(Number(run.finished_at)),
          exitCode: run.exit_code === null ? null : Number(run.exit_code),
          state: run.state,
          uid: run.uid === null ? null : Number(run.uid),
          output: run.output,
          error: run.error,
        }
      : null,
    heartbeatMonitorId: r.heartbeat_monitor_id,
    createdAt: msToIso(Number(r.created_at)),
    updatedAt: msToIso(Number(r.updated_at)),
  };
}

const jobOrder = keyset("cron_jobs.id", {});

/** A page of cron jobs in id order; what an actor sees is read one account at a time. */
export async function listJobs(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; cursor?: string },
) {
  const walk = jobOrder(undefined, f.cursor);
  let q = walk.apply(db.selectFrom("cron_jobs").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, walk);
  return walk.page(rows, f.limit, (row: CronJobRow) => row);
}

export const findJob = (db: Kysely<Database>, id: string) =>
  db.selectFrom("cron_jobs").selectAll().where("id", "=", id).executeTakeFirst();

/** An account's jobs on a node (what one cron.apply writes). */
export const jobsOn = (db: Kysely<Database>, accountId: string, nodeId: string) =>
  db
    .selectFrom("cron_jobs")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("node_id", "=", nodeId)
    .orderBy("id")
    .limit(MAX_PER_NODE + 1)
    .execute();

/** Whether a system user runs any job (it is not deleted while one does). */
export const userHasJobs = async (db: Kysely<Database>, systemUserId: string) =>
  (await db
    .selectFrom("cron_jobs")
    .select("id")
    .where("system_user_id", "=", systemUserId)
    .limit(1)
    .executeTakeFirst()) !== undefined;

export async function insertJob(db: Kysely<Database>, row: Insertable<CronJobTable>) {
  await db.insertInto("cron_jobs").values(row).execute();
}

export async function updateJob(db: Kysely<Database>, id: string, set: Updateable<CronJobTable>) {
  await db.updateTable("cron_jobs").set(set).where("id", "=", id).execute();
}

/** Applied rows whose file is written again (by `taskId`): pending until it settles them. */
export async function markReapplying(db: Kysely<Database>, ids: readonly string[], taskId: string) {
  if (!ids.length) return;
  await db
    .updateTable("cron_jobs")
    .set({ status: "pending", task_id: taskId })
    .where("id", "in", ids)
    .where("status", "=", "applied")
    .execute();
}

/** After an apply: each row as it was read (same updated_at) gets its outcome. */
export async function settle(
  db: Kysely<Database>,
  rows: CronJobRow[],
  outcome: { status: "applied" | "failed"; error: string | null },
) {
  for (const r of rows) {
    if (r.status === "deleting") {
      if (outcome.status === "applied") {
        await db.deleteFrom("cron_runs").where("job_id", "=", r.id).execute();
        await db.deleteFrom("cron_jobs").where("id", "=", r.id).execute();
      } else
        await db
          .updateTable("cron_jobs")
          .set({ last_error: outcome.error })
          .where("id", "=", r.id)
          .execute();
      continue;
    }
    await db
      .updateTable("cron_jobs")
      .set({ status: outcome.status, last_error: outcome.error })
      .where("id", "=", r.id)
      .where("updated_at", "=", r.updated_at)
      .execute();
  }
}

/** The runs of some jobs by id (each job's last run). */
export async function runsById(db: Kysely<Database>, ids: readonly string[]) {
  if (!ids.length) return new Map<string, CronRunRow>();
  const rows = await db.selectFrom("cron_runs").selectAll().where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** A run now starts: its row, and the job's last run. */
export async function insertRun(db: Kysely<Database>, row: Insertable<CronRunTable>) {
  await db.insertInto("cron_runs").values(row).execute();
  await db
    .updateTable("cron_jobs")
    .set({ last_run_id: row.id })
    .where("id", "=", row.job_id)
    .execute();
}

/** A scheduled run the node reported: recorded once (its spool entry), the job's last run when newer. */
export async function recordScheduledRun(db: Kysely<Database>, row: Insertable<CronRunTable>) {
  const seen = await db
    .selectFrom("cron_runs")
    .select("id")
    .where("job_id", "=", row.job_id)
    .where("spool_id", "=", row.spool_id ?? "")
    .executeTakeFirst();
  if (seen) return false;
  await db.insertInto("cron_runs").values(row).execute();
  const job = await db
    .selectFrom("cron_jobs")
    .leftJoin("cron_runs", "cron_runs.id", "cron_jobs.last_run_id")
    .select(["cron_jobs.id", "cron_runs.created_at"])
    .where("cron_jobs.id", "=", row.job_id)
    .executeTakeFirst();
  if (job && (job.created_at === null || Number(job.created_at) <= Number(row.created_at)))
    await db
      .updateTable("cron_jobs")
      .set({ last_run_id: row.id })
      .where("id", "=", row.job_id)
      .execute();
  return true;
}

/** Which of these ids are the account's jobs on the node (a run naming another is not recorded). */
export const jobIdsOn = (db: Kysely<Database>, accountId: string, nodeId: string, ids: string[]) =>
  ids.length
    ? db
        .selectFrom("cron_jobs")
        .select(["id", "account_id"])
        .where("account_id", "=", accountId)
        .where("node_id", "=", nodeId)
        .where("id", "in", ids)
        .execute()
    : Promise.resolve([]);

export async function finishRun(
  db: Kysely<Database>,
  id: string,
  set: { state: "done" | "failed"; exit_code: number | null },
) {
  await db
    .updateTable("cron_runs")
    .set({ ...set, finished_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

/** Cron jobs' commands by id (audit events and task titles). */
export const cronJobNames = namesById("cron_jobs", "command");
