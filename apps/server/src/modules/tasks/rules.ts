// When a new task first runs and how a schedule change moves it: the rules of the tasks
// service that need no database. Who may see or change a task: access/policies/tasks.ts.
import {
  finalTaskStates,
  MAX_DELAY_SECONDS,
  type TaskCreate,
  type TaskUpdate,
} from "@steward/contracts";
import type { Updateable } from "kysely";
import type { TaskTable } from "../../db/schema.ts";
import { AppError, conflict, invalid } from "../../lib/errors.ts";
import { checkRecurring } from "../../tasks/enqueue.ts";
import type { Registry } from "../../tasks/registry.ts";
import { nextRun } from "../../tasks/schedule.ts";
import type { TaskRow } from "../../tasks/types.ts";
import { requeued } from "./repo.ts";

export const FINAL: readonly TaskRow["state"][] = finalTaskStates;
const DAY_MS = 24 * 3600_000;

/** When a new task first runs: runAt (a day ago at the earliest, a year ahead at the latest) or a delay. */
export function firstRunOf(input: TaskCreate, now = Date.now()): number | undefined {
  if (input.runAt !== undefined && input.delaySeconds !== undefined)
    throw invalid("runAt", "give runAt or delaySeconds, not both");
  if (input.delaySeconds !== undefined) return now + input.delaySeconds * 1000;
  if (input.runAt === undefined) return undefined;
  const at = Date.parse(input.runAt);
  if (at > now + MAX_DELAY_SECONDS * 1000)
    throw invalid("runAt", "must be at most a year from now");
  if (at < now - DAY_MS) throw invalid("runAt", "is more than a day in the past");
  return Math.max(at, now);
}

/** A time zone without an expression means nothing: say so rather than drop it. */
export function checkTimezoneAlone(expression: string | null | undefined, timezone: unknown) {
  if (!expression && timezone)
    throw invalid("timezone", "only applies to a recurring task: give an expression too");
}

/**
 * The columns a PATCH changes. A new schedule or enabling a task recomputes its next run
 * (missed occurrences are skipped); enabling a finished task queues it again, which is how
 * a run-once task is re-run.
 */
export function patchOf(
  registry: Registry,
  row: TaskRow,
  patch: TaskUpdate,
  now = Date.now(),
): Updateable<TaskTable> {
  const expression = patch.expression === undefined ? row.expression : patch.expression;
  const timezone = expression
    ? patch.timezone === undefined
      ? row.timezone
      : patch.timezone
    : null;
  checkTimezoneAlone(expression, patch.timezone);
  const rescheduled = expression !== row.expression || timezone !== row.timezone;
  const set: Updateable<TaskTable> = {};
  if (rescheduled) {
    if (row.state === "running")
      throw conflict(
        "the task is running; change its schedule once this run has finished",
        "expression",
      );
    if (expression) {
      const def = registry.get(row.kind);
      if (!def) throw new AppError("CONFLICT", `no handler is registered for kind ${row.kind}`);
      checkRecurring(def, expression, timezone);
    }
    set.expression = expression;
    set.timezone = timezone;
  }
  if (patch.priority !== undefined) set.priority = patch.priority;
  if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
  const next = expression ? nextRun(expression, timezone, now) : now;
  if (patch.enabled && FINAL.includes(row.state)) return { ...set, ...requeued(next) };
  const enabling = patch.enabled === true && Number(row.enabled) === 0;
  if (row.state === "queued" && expression && (rescheduled || enabling)) set.run_at = next;
  return set;
}
