// Retention: task log lines and finished run-once tasks older than a cut-off. Deletes go
// in batches so a large backlog never holds the write lock (SQLite) or row locks for long
// while workers keep claiming.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

const BATCH = 5_000;

async function inBatches(remove: () => Promise<bigint>, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    signal?.throwIfAborted();
    const n = Number(await remove());
    total += n;
    if (n < BATCH) return total;
  }
}

/** Log lines written before `before`, whatever their task. */
export function pruneTaskLogs(db: Kysely<Database>, before: number, signal?: AbortSignal) {
  return inBatches(async () => {
    const r = await db
      .deleteFrom("task_logs")
      .where("id", "in", (eb) =>
        eb.selectFrom("task_logs").select("id").where("at", "<", before).limit(BATCH),
      )
      .executeTakeFirst();
    return r.numDeletedRows;
  }, signal);
}

/**
 * Run-once tasks that finished (succeeded, failed, cancelled) before `before`, with their
 * logs and prerequisite links. Recurring tasks are never deleted, whatever their state.
 */
export function pruneFinishedTasks(db: Kysely<Database>, before: number, signal?: AbortSignal) {
  return inBatches(async () => {
    const r = await db
      .deleteFrom("tasks")
      .where("id", "in", (eb) =>
        eb
          .selectFrom("tasks")
          .select("id")
          .where("state", "in", ["succeeded", "failed", "cancelled"])
          .where("expression", "is", null)
          .where((w) => w(w.fn.coalesce("finished_at", "updated_at"), "<", before))
          .limit(BATCH),
      )
      .executeTakeFirst();
    return r.numDeletedRows;
  }, signal);
}
