// What happens to a task after an attempt: success, failure (retry or give up), cancel,
// an expired lease. Every transition is conditional on the task still being held by the
// worker that ran it, so a late worker cannot overwrite what a reaper or a canceller did.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { createCompleter } from "./complete.ts";
import type { TaskBus } from "./events.ts";
import type { Registry } from "./registry.ts";
import { backoffMs, nextRun } from "./schedule.ts";
import type { ClaimedTask, TaskRow } from "./types.ts";

/**
 * Told in the transaction that ends a run for good, succeeded or failed (the task events of
 * modules/events/tasks.ts). `wants(task)`: a success of that task must end in such a
 * transaction, not in the batch of successes.
 */
export interface FinishHook {
  wants(task: ClaimedTask): boolean;
  finished(
    trx: Kysely<Database>,
    task: TaskRow,
    outcome: "succeeded" | "failed",
    error: string | null,
  ): Promise<void>;
}

export interface Transitions {
  /** sets the hook told of every run that ends for good (one per engine) */
  onFinish(hook: FinishHook): void;
  succeed(task: ClaimedTask, result: unknown): Promise<void>;
  fail(task: ClaimedTask, error: string, opts?: { permanent?: boolean }): Promise<void>;
  /** back to the queue, due at `runAt`, the attempt given back: it waits on something else */
  wait(task: ClaimedTask, why: string, runAt: number): Promise<void>;
  cancelled(task: ClaimedTask): Promise<void>;
  /**
   * Back to the queue, due now, the attempt not counted: this process stopped, not the tasks
   * (one statement for all; they were claimed by the same worker).
   */
  requeue(tasks: ClaimedTask[], why: string): Promise<void>;
  /** tasks whose lease expired (their worker died): back to the queue, or failed */
  reapExpired(now?: number): Promise<number>;
  /** queued tasks waiting on `root` fail with `why`, transitively (a cancel through the API) */
  failDependants(trx: Kysely<Database>, root: ClaimedTask, why: string): Promise<void>;
}

/** An update of a task still held by the worker that claimed it. */
const held = (db: Kysely<Database>, task: ClaimedTask) =>
  db
    .updateTable("tasks")
    .where("id", "=", task.id)
    .where("state", "=", "running")
    .where("lease_owner", "=", task.lease_owner);

/** Why a dependant failed: the prerequisite that did not succeed, and its reason. */
export const prerequisiteFailed = (id: string, kind: string, why: string) =>
  `prerequisite ${id} (${kind}) did not succeed: ${why}`;

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

export function createTransitions(
  db: Kysely<Database>,
  registry: Registry,
  bus: TaskBus,
): Transitions {
  let hook: FinishHook | null = null;
  async function announce(id: string, state: string) {
    await bus.publish({ type: "state", taskId: id, state });
  }

  /** Dependants waiting on a task that will never succeed fail with its reason, transitively. */
  async function failDependants(trx: Kysely<Database>, root: ClaimedTask, why: string) {
    let frontier = [root.id];
    const now = Date.now();
    while (frontier.length) {
      const rows = await trx
        .updateTable("tasks")
        .set({
          state: "failed",
          // name the task that failed, also for dependants of dependants
          last_error: prerequisiteFailed(root.id, root.kind, why),
          last_outcome: "failed",
          finished_at: now,
          updated_at: now,
        })
        .where("state", "=", "queued")
        .where("id", "in", (eb) =>
          eb.selectFrom("task_deps").select("task_id").where("depends_on_id", "in", frontier),
        )
        .returning("id")
        .execute();
      frontier = rows.map((r) => r.id);
    }
  }

  /** Recurring tasks go back to the queue for their next occurrence whatever the outcome. */
  const nextOccurrence = (task: ClaimedTask, now: number) =>
    task.expression ? nextRun(task.expression, task.timezone, now) : null;

  async function finish(
    task: ClaimedTask,
    outcome: "succeeded" | "failed" | "cancelled",
    fields: { result?: unknown; error?: string | null },
  ) {
    const now = Date.now();
    const next = nextOccurrence(task, now);
    // false when another process changed the task first (a second reaper, a canceller)
    // what every finished run writes: the lease let go, and its outcome
    const ran = {
      lease_owner: null,
      lease_until: null,
      finished_at: now,
      last_outcome: outcome,
      last_error: fields.error ?? null,
      result: json(fields.result),
      updated_at: now,
    };
    const changed = await db.transaction().execute(async (trx) => {
      // the hook names the task from its whole row (a claim returns some columns), as it was
      // before this write: a recurring task's attempts are reset by it, a deleted task is gone
      const whole =
        hook && outcome !== "cancelled"
          ? await trx.selectFrom("tasks").selectAll().where("id", "=", task.id).executeTakeFirst()
          : undefined;
      const done = await settle(trx);
      if (done && whole && hook && outcome !== "cancelled")
        await hook.finished(trx, whole, outcome, fields.error ?? null);
      return done;
    });
    if (changed)
      await announce(task.id, next !== null && outcome !== "cancelled" ? "queued" : outcome);

    async function settle(trx: Kysely<Database>) {
      if (next !== null && outcome !== "cancelled") {
        const r = await held(trx, task)
          .set({
            ...ran,
            state: "queued",
            run_at: next,
            attempts: 0,
            checkpoint: null,
            progress: outcome === "succeeded" ? 1 : null,
          })
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      }
      if (outcome === "succeeded" && task.on_success === "delete" && !task.expression) {
        // as the batch does (complete.ts): a lease lost to the reaper keeps the row
        const r = await trx
          .deleteFrom("tasks")
          .where("id", "=", task.id)
          .where("state", "=", "running")
          .where("lease_owner", "=", task.lease_owner)
          .executeTakeFirst();
        if (r.numDeletedRows === 0n) return false;
        await bus.wake(trx); // dependants may be runnable now (a missing prerequisite succeeded)
        return true;
      }
      const r = await held(trx, task)
        .set({
          ...ran,
          state: outcome,
          enabled: outcome === "succeeded" ? 0 : task.enabled,
          progress: outcome === "succeeded" ? 1 : task.progress,
        })
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) return false;
      if (outcome !== "succeeded") await failDependants(trx, task, fields.error ?? outcome);
      else await bus.wake(trx); // dependants may be runnable now
      return true;
    }
  }

  /** successes of run-once tasks (kept as records or deleted), and retries, many in one statement */
  const complete = createCompleter(db, bus);

  async function retryOrFail(task: ClaimedTask, error: string, permanent: boolean) {
    if (!permanent && task.attempts < task.max_attempts) {
      const runAt = Date.now() + backoffMs(task.attempts, registry.get(task.kind)?.backoff);
      await complete({ task, state: "queued", error, runAt });
      return;
    }
    await finish(task, "failed", { error });
  }

  return {
    onFinish(h) {
      hook = h;
    },
    async succeed(task, result) {
      if (task.expression || hook?.wants(task)) return finish(task, "succeeded", { result });
      if (task.on_success === "delete") await complete({ task, state: "deleted" });
      else await complete({ task, state: "succeeded", result: json(result) });
    },
    fail: (task, error, opts) => retryOrFail(task, error, opts?.permanent ?? false),
    async wait(task, why, runAt) {
      const r = await held(db, task)
        .set((eb) => ({
          state: "queued",
          attempts: eb("attempts", "-", 1),
          run_at: runAt,
          lease_owner: null,
          lease_until: null,
          last_error: why,
          updated_at: Date.now(),
        }))
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) return;
      await announce(task.id, "queued");
      // its place under its concurrency key is free for the others of the key (complete.ts)
      if (task.concurrency_key) await bus.wake(db);
    },
    cancelled: (task) => finish(task, "cancelled", { error: "cancelled" }),
    async requeue(tasks, why) {
      const [first] = tasks;
      if (!first) return;
      const now = Date.now();
      const back = await db
        .updateTable("tasks")
        .where(
          "id",
          "in",
          tasks.map((task) => task.id),
        )
        .where("state", "=", "running")
        .where("lease_owner", "=", first.lease_owner)
        .set((eb) => ({
          state: "queued",
          attempts: eb("attempts", "-", 1),
          run_at: now,
          lease_owner: null,
          lease_until: null,
          last_error: why,
          updated_at: now,
        }))
        .returning("id")
        .execute();
      await Promise.all(back.map((row) => announce(row.id, "queued")));
    },
    failDependants,
    async reapExpired(now = Date.now()) {
      const expired = await db
        .selectFrom("tasks")
        .selectAll()
        .where("state", "=", "running")
        .where("lease_until", "<", now)
        .limit(500)
        .execute();
      for (const task of expired) {
        const why = `the worker running attempt ${task.attempts} stopped answering (lease expired)`;
        if (task.cancel_requested) await finish(task, "cancelled", { error: "cancelled" });
        else await retryOrFail(task, why, false);
      }
      return expired.length;
    },
  };
}
