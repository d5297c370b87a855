// Changes of a task from outside its worker (the task API, the CLI): cancel, run again, patch.
// Each is one transaction holding the engine's conditional write and the caller's own writes
// (its audit record) through `within`; once it has committed, the engine announces the new
// state and only then wakes the workers, so a listener hears "queued" before "running".
import { finalTaskStates } from "@steward/contracts";
import type { Kysely, Updateable } from "kysely";
import type { Database, TaskTable } from "../db/schema.ts";
import { AppError, conflict } from "../lib/errors.ts";
import type { TaskBus } from "./events.ts";
import type { Transitions } from "./transitions.ts";
import { findActiveByUniqueKey } from "./twins.ts";
import type { TaskRow } from "./types.ts";

/** What a change did to a task's state; `cancelling` for a running task asked to stop. */
export interface StateChange {
  from: TaskRow["state"];
  to: TaskRow["state"] | "cancelling";
  /** the task as the change left it (a worker may change it as soon as it hears) */
  task: TaskRow;
}

/** The caller's writes in the change's transaction (its audit record). */
export type Within = (trx: Kysely<Database>, change: StateChange) => Promise<unknown>;

const FINAL: readonly TaskRow["state"][] = finalTaskStates;

/** The fields of a task queued afresh: a re-run, or a finished task enabled again. */
export const requeued = (runAt: number): Updateable<TaskTable> => ({
  state: "queued",
  enabled: 1,
  run_at: runAt,
  attempts: 0,
  cancel_requested: 0,
  lease_owner: null,
  lease_until: null,
  finished_at: null,
  last_error: null,
  progress: null,
  progress_message: null,
  checkpoint: null,
});

const finished = (state: string) =>
  conflict(`the task has already finished (${state}); there is nothing to cancel`, "state");
const running = () => conflict("the task is running; cancel it or wait for it", "state");

/** Changes a task if it is (still) in one of `states`; the changed row, none when it is not. */
function update(
  db: Kysely<Database>,
  id: string,
  set: Updateable<TaskTable>,
  states: readonly TaskRow["state"][],
): Promise<TaskRow | undefined> {
  return db
    .updateTable("tasks")
    .set({ ...set, updated_at: Date.now() })
    .where("id", "=", id)
    .where("state", "in", states)
    .returningAll()
    .executeTakeFirst();
}

export function createManage(db: Kysely<Database>, bus: TaskBus, transitions: Transitions) {
  async function apply(
    row: TaskRow,
    write: (trx: Kysely<Database>) => Promise<Omit<StateChange, "from">>,
    within?: Within,
  ): Promise<StateChange> {
    return db.transaction().execute(async (trx) => {
      const change: StateChange = { from: row.state, ...(await write(trx)) };
      await within?.(trx, change);
      return change;
    });
  }
  /** After the commit: the new state first (when it changed), then the workers' wake-up. */
  const announce = async (row: TaskRow, state: string | null) => {
    if (state !== null) await bus.publish({ type: "state", taskId: row.id, state });
    await bus.wake(db);
  };

  return {
    /** Queued: cancelled at once, and what waits on it fails. Running: its worker aborts it. */
    async cancel(row: TaskRow, why: string, within?: Within): Promise<StateChange> {
      if (FINAL.includes(row.state)) throw finished(row.state);
      const change = await apply(
        row,
        async (trx) => {
          const cancelled = {
            state: "cancelled" as const,
            last_outcome: "cancelled" as const,
            last_error: why,
            finished_at: Date.now(),
          };
          const queued = await update(trx, row.id, cancelled, ["queued"]);
          if (queued) {
            await transitions.failDependants(trx, row, why);
            return { to: "cancelled", task: queued };
          }
          const marked = await update(trx, row.id, { cancel_requested: 1 }, ["running"]);
          if (marked) return { to: "cancelling", task: marked };
          const now = await trx
            .selectFrom("tasks")
            .select("state")
            .where("id", "=", row.id)
            .executeTakeFirst();
          throw finished(now?.state ?? "deleted");
        },
        within,
      );
      await announce(row, change.to);
      return change;
    },

    /**
     * Runs a task now: a queued one at once, a finished one again (recurring: once, now). A
     * running task, or a finished one whose unique key an active twin holds, is refused.
     */
    async rerun(row: TaskRow, within?: Within): Promise<StateChange> {
      if (row.state === "running") throw running();
      if (row.unique_key && row.state !== "queued") {
        const twin = await findActiveByUniqueKey(db, row.unique_key);
        if (twin) throw conflict(`task ${twin.id} does the same and is not finished`, "state");
      }
      const change = await apply(
        row,
        async (trx) => {
          const task = await update(trx, row.id, requeued(Date.now()), ["queued", ...FINAL]);
          if (!task) throw running();
          return { to: "queued", task };
        },
        within,
      );
      await announce(row, change.to);
      return change;
    },

    /** Writes `set` (enabled, schedule, priority…) if the task is still in the state it was read in. */
    async patch(row: TaskRow, set: Updateable<TaskTable>, within?: Within): Promise<StateChange> {
      const change = await apply(
        row,
        async (trx) => {
          const task = await update(trx, row.id, set, [row.state]);
          if (!task)
            throw new AppError("CONFLICT", "the task changed meanwhile; look again and retry");
          return { to: task.state, task };
        },
        within,
      );
      await announce(row, change.to !== change.from ? change.to : null);
      return change;
    },
  };
}
