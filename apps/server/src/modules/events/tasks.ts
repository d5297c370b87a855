// The task engine's events: `task.failed` when a task fails for good (its last attempt, or a
// failure retrying cannot fix; not a retried attempt, not a dependant failed by its
// prerequisite), and `task.recovered` when a task succeeds whose kind and target last failed
// for good: the latest task.failed / task.recovered event of its group is a task.failed. The
// group is the task's kind and target (the task itself when it has none: a recurring task, or
// a failed one run again). Recorded in the transaction that ends the run (engine/transitions.ts
// calls `finished`).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskRow } from "../../engine/types.ts";
import { withNames } from "../tasks/named.ts";
import { recordEvent } from "./record.ts";
import { latestOfGroup } from "./repo.ts";

const TASK_EVENTS = ["task.failed", "task.recovered"];

/** The group of a task's events: its kind and target, or the task when it has no target. */
export const taskGroup = (task: Pick<TaskRow, "id" | "kind" | "target_type" | "target_id">) =>
  task.target_id
    ? `task:${task.kind}:${task.target_type}:${task.target_id}`
    : `task:${task.kind}:${task.id}`;

/** The hook the engine calls in the transaction that ends a run (engine/transitions.ts). */
export const taskEvents = {
  /**
   * Whether a success of this task may be a recovery, so must end in a transaction of its own
   * rather than in the engine's batch of successes: a task with a target, or one whose last
   * run failed. Other run-once tasks have no earlier run of the same kind and target.
   */
  wants: (task: Pick<TaskRow, "target_id" | "last_outcome">) =>
    task.target_id !== null || task.last_outcome === "failed",

  async finished(
    trx: Kysely<Database>,
    task: TaskRow,
    outcome: "succeeded" | "failed",
    error: string | null,
  ) {
    const group = taskGroup(task);
    let failedAttempts = 0;
    if (outcome === "succeeded") {
      const last = await latestOfGroup(trx, group, TASK_EVENTS);
      if (last?.type !== "task.failed") return;
      failedAttempts = Number((JSON.parse(last.fields) as { attempts?: number }).attempts ?? 0);
    }
    const [named] = await withNames(trx, [task]);
    if (!named) return;
    const target =
      task.target_type && task.target_id
        ? { type: task.target_type, id: task.target_id, name: named.targetName ?? task.target_id }
        : { type: "task", id: task.id, name: named.title };
    const common = { taskId: task.id, kind: task.kind, title: named.title.slice(0, 255) };
    await recordEvent(trx, {
      accountId: task.account_id,
      target,
      groupKey: group,
      ...(outcome === "failed"
        ? {
            type: "task.failed",
            summary: `task ${named.title} failed`,
            fields: {
              ...common,
              attempts: task.attempts,
              error: (error ?? "failed").slice(0, 4000),
            },
          }
        : {
            type: "task.recovered",
            summary: `task ${named.title} succeeded after failing`,
            fields: { ...common, failedAttempts },
          }),
    });
  },
};
