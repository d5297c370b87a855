// The dashboard's SQL: counts and the latest failures, each filtered by the caller's
// visibility condition (the same ones the list endpoints use). Every query is an index walk
// that stops after a page: counts stop at countLimit + 1 (lib/sql.ts, boundedCount), and an
// actor who sees some accounts has them read one at a time (lib/walks.ts).
import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskRow } from "../../engine/types.ts";
import { countOfWalks, type ListScope, pageOfWalks } from "../../lib/walks.ts";

type Tasks = ReturnType<typeof tasksOf>;

const tasksOf = (db: Kysely<Database>, scope: ListScope) => {
  const q = db.selectFrom("tasks");
  return scope.where ? q.where(scope.where) : q;
};

/**
 * Tasks by state, every state present; a recurring task waiting for its next occurrence is a
 * schedule, not queued work, and is counted apart. Each count stops at countLimit + 1.
 */
export async function countTasksByState(
  db: Kysely<Database>,
  scope: ListScope,
): Promise<{ byState: Record<TaskRow["state"], number>; schedules: number }> {
  const all = tasksOf(db, scope);
  const inState = (state: TaskRow["state"]) => all.where("state", "=", sql.lit(state));
  const count = (rows: Tasks) => countOfWalks(db, scope.walks, rows);
  const [queued, schedules, running, succeeded, failed, cancelled] = await Promise.all([
    count(inState("queued").where("expression", "is", null)),
    count(inState("queued").where("expression", "is not", null)),
    count(inState("running")),
    count(inState("succeeded")),
    count(inState("failed")),
    count(inState("cancelled")),
  ]);
  return { byState: { queued, running, succeeded, failed, cancelled }, schedules };
}

const recent = sql<number>`coalesce(finished_at, updated_at)`;
const newest = (a: TaskRow, b: TaskRow) =>
  Number(b.finished_at ?? b.updated_at) - Number(a.finished_at ?? a.updated_at) ||
  (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The latest failures, newest first: failed tasks, and recurring tasks whose last run failed
 * (they went back to the queue for their next occurrence, but something is wrong). Each has a
 * partial index in that order (migration 013); failed tasks are read one account at a time
 * for an actor who sees some, recurring ones (a few) in one walk.
 */
export async function latestFailures(
  db: Kysely<Database>,
  scope: ListScope,
  limit: number,
): Promise<TaskRow[]> {
  const newestFirst = (rows: Tasks) =>
    rows.selectAll().orderBy(recent, "desc").orderBy("id", "desc").limit(limit);
  const failed = newestFirst(tasksOf(db, scope).where("state", "=", sql.lit("failed")));
  const [tasks, recurring] = await Promise.all([
    pageOfWalks(db, scope.walks, limit, failed),
    newestFirst(
      tasksOf(db, scope)
        .where("expression", "is not", null)
        .where("last_outcome", "=", sql.lit("failed"))
        .where(sql<boolean>`state in ('queued', 'running')`),
    ).execute(),
  ]);
  return [...tasks, ...recurring].sort(newest).slice(0, limit);
}
