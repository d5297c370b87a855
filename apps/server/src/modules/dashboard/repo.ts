// The dashboard's SQL: counts and the latest failures, each filtered by the caller's
// visibility condition (the same ones the list endpoints use).
import { taskStates } from "@steward/contracts";
import { type Expression, type Kysely, type SqlBool, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskRow } from "../../engine/types.ts";

/**
 * Tasks by state, every state present (0 when none); a recurring task waiting for its next
 * occurrence is a schedule, not queued work, and is counted apart.
 */
export async function countTasksByState(
  db: Kysely<Database>,
  visible: Expression<SqlBool> | null,
): Promise<{ byState: Record<TaskRow["state"], number>; schedules: number }> {
  let q = db
    .selectFrom("tasks")
    .select([
      "state",
      sql<number>`case when expression is null then 0 else 1 end`.as("recurring"),
      sql<number | string>`count(*)`.as("n"),
    ])
    .groupBy(["state", sql`case when expression is null then 0 else 1 end`]);
  if (visible) q = q.where(visible);
  const rows = await q.execute();
  const byState = Object.fromEntries(taskStates.map((s) => [s, 0])) as Record<
    TaskRow["state"],
    number
  >;
  let schedules = 0;
  for (const r of rows) {
    if (r.state === "queued" && Number(r.recurring) === 1) schedules += Number(r.n);
    else byState[r.state] += Number(r.n);
  }
  return { byState, schedules };
}

/**
 * The latest failures, newest first: failed tasks, and recurring tasks whose last run failed
 * (they went back to the queue for their next occurrence, but something is wrong).
 */
export function latestFailures(
  db: Kysely<Database>,
  visible: Expression<SqlBool> | null,
  limit: number,
): Promise<TaskRow[]> {
  let q = db
    .selectFrom("tasks")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("state", "=", "failed"),
        eb.and([
          eb("state", "in", ["queued", "running"]),
          eb("expression", "is not", null),
          eb("last_outcome", "=", "failed"),
        ]),
      ]),
    )
    // a failed task has finished_at; coalesce keeps NULLs from sorting first on PostgreSQL
    .orderBy(sql`coalesce(finished_at, updated_at)`, "desc")
    .orderBy("id", "desc")
    .limit(limit);
  if (visible) q = q.where(visible);
  return q.execute();
}
