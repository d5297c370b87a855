// A plan as the API answers it: its row, the next run of its schedule (the recurring task, while
// the plan is enabled) and what its runs did lately and keep (activity-repo.ts).
import type { BackupPlan } from "@steward/contracts/backups";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { findTask } from "../tasks/repo.ts";
import { activityOf } from "./activity-repo.ts";
import { type PlanRow, toPlan } from "./plans-repo.ts";

async function nextRunOf(db: Kysely<Database>, row: PlanRow) {
  const task = row.schedule_task_id ? await findTask(db, row.schedule_task_id) : undefined;
  return task && task.state === "queued" && Number(row.enabled) === 1 ? Number(task.run_at) : null;
}

export async function answerPlans(db: Kysely<Database>, rows: PlanRow[]): Promise<BackupPlan[]> {
  const [next, activity] = await Promise.all([
    Promise.all(rows.map((row) => nextRunOf(db, row))),
    activityOf(
      db,
      rows.map((r) => r.id),
    ),
  ]);
  return rows.map((row, i) => toPlan(row, next[i] ?? null, activity.get(row.id)));
}
