// Tasks every installation starts with, installed with the first super user (in the
// transaction that creates it). Unique keys make this idempotent: an existing active task
// of the kind is returned instead of a second one.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TaskEngine } from "../engine.ts";
import type { TaskSpec } from "../types.ts";

export const defaultTasks: TaskSpec[] = [
  // housekeeping: after midnight UTC, behind anything more urgent
  { kind: "logrotate", payload: {}, expression: "@daily", timezone: "UTC", priority: 8 },
];

export async function installDefaultTasks(
  tasks: Pick<TaskEngine, "enqueue">,
  trx?: Kysely<Database>,
): Promise<void> {
  for (const spec of defaultTasks) await tasks.enqueue(spec, trx);
}
