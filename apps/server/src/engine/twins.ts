// Twins: tasks that would do the same work. An active task with the same unique key stands in
// for a new one; a waiting task of the same kind and target can be brought forward instead of
// a second one piling up behind it.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import type { TaskRow, TaskSpec } from "./types.ts";

/** The active (queued or running) task holding a unique key, if any. */
export function findActiveByUniqueKey(
  db: Kysely<Database>,
  key: string,
): Promise<TaskRow | undefined> {
  return db
    .selectFrom("tasks")
    .selectAll()
    .where("unique_key", "=", key)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirst();
}

/**
 * A queued task of this kind and target, due now with its attempts renewed (it may have been
 * backing off); none when there is no such task or a worker claimed it meanwhile.
 */
export async function bringForward(
  db: Kysely<Database>,
  kind: string,
  target: TaskSpec["target"],
  now = Date.now(),
): Promise<TaskRow | undefined> {
  let waiting = db
    .selectFrom("tasks")
    .select("id")
    .where("kind", "=", kind)
    .where("state", "=", "queued");
  waiting = target
    ? waiting.where("target_type", "=", target.type).where("target_id", "=", target.id)
    : waiting.where("target_type", "is", null).where("target_id", "is", null);
  const found = await waiting.orderBy("id").executeTakeFirst();
  if (!found) return undefined;
  return db
    .updateTable("tasks")
    .set({ run_at: now, attempts: 0, updated_at: now })
    .where("id", "=", found.id)
    .where("state", "=", "queued")
    .returningAll()
    .executeTakeFirst();
}
