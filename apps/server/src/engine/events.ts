// Wake-ups and live events. In one process an EventEmitter; on PostgreSQL, LISTEN/NOTIFY
// carries them between processes (workers, replicas, the API serving an SSE stream).
import { EventEmitter } from "node:events";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Db } from "../db/open.ts";
import { type Subscription, subscribe } from "../db/pg-listen.ts";
import type { Database } from "../db/schema.ts";
import { createNotifyBatcher } from "./notify-batch.ts";

export const WAKE_CHANNEL = "steward_tasks";
export const EVENT_CHANNEL = "steward_task_events";

export type TaskEvent =
  | { type: "log"; taskId: string }
  | { type: "progress"; taskId: string; progress: number; message: string | null }
  | { type: "state"; taskId: string; state: string };

/**
 * What a NOTIFY on EVENT_CHANNEL carries: an event, an array of them, or the state events of
 * many tasks that reached one state (a batch of outcomes, complete.ts): their ids in one array,
 * under half the bytes of one object per task, and no object to build or parse per task.
 */
type EventPayload = TaskEvent | TaskEvent[] | { type: "states"; state: string; taskIds: string[] };

export interface TaskBus {
  /**
   * Live events go between processes by NOTIFY on EVENT_CHANNEL (PostgreSQL with LISTEN): a
   * statement may send its own (complete.ts) instead of calling publish() after it.
   */
  readonly notifies: boolean;
  /** within the transaction that makes a task runnable: wakes workers once it commits */
  wake(trx: Kysely<Database>): Promise<void>;
  /**
   * The wake-up carried by a statement of the caller's (PostgreSQL: a `pg_notify` select
   * expression; null elsewhere), saving wake()'s round trip; call woken() once it has run.
   */
  readonly wakeNotify: RawBuilder<unknown> | null;
  /** wakes this process's workers (after a statement carried wakeNotify) */
  woken(): void;
  publish(event: TaskEvent): Promise<void>;
  onWake(fn: () => void): () => void;
  onEvent(taskId: string, fn: (e: TaskEvent) => void): () => void;
  /**
   * Every task asked to stop (a `cancelling` state event), whichever task: one subscription
   * per worker instead of one per task it holds.
   */
  onCancelling(fn: (taskId: string) => void): () => void;
  /** settles once events of other processes are heard (LISTEN is on; at once without it) */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createBus(db: Db, listenUrl?: string): TaskBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  // listeners of one task's events (its SSE streams), looked up by id: most events (every
  // outcome of a busy worker comes back by NOTIFY) have none, and a map miss costs next to
  // nothing (an emit by event name was 3% of a worker's CPU in a drain)
  const byTask = new Map<string, Set<(e: TaskEvent) => void>>();
  const local = (event: TaskEvent) => {
    const listeners = byTask.get(event.taskId);
    if (listeners) for (const fn of [...listeners]) fn(event);
    if (event.type === "state" && event.state === "cancelling")
      emitter.emit("cancelling", event.taskId);
  };
  /** A NOTIFY's events; a batch's ids become events only for the tasks listened to. */
  const heard = (payload: EventPayload) => {
    if (Array.isArray(payload)) for (const e of payload) local(e);
    else if (payload.type !== "states") local(payload);
    else
      for (const taskId of payload.taskIds)
        if (byTask.has(taskId) || payload.state === "cancelling")
          local({ type: "state", taskId, state: payload.state });
  };
  let subscription: Subscription | null = null;
  const postgres = db.dialect === "postgres";
  const notifyEvents = createNotifyBatcher<TaskEvent>((payload) =>
    sql`select pg_notify(${EVENT_CHANNEL}, ${payload})`.execute(db.db),
  );

  /**
   * Listening (the process's shared LISTEN connection, db/pg-listen.ts) starts with the first
   * subscriber: CLI commands never open it. While it is lost, the poll loop and the heartbeat
   * keep work moving (wake-ups and live events are an optimisation); wake-ups sent while it
   * was not listening (at start, or while reconnecting) were missed: look for work once then.
   */
  let closed = false;
  const listen = () => {
    if (subscription || closed || !postgres || !listenUrl) return;
    subscription = subscribe(
      listenUrl,
      [WAKE_CHANNEL, EVENT_CHANNEL],
      (channel, payload) => {
        if (channel === WAKE_CHANNEL) emitter.emit("wake");
        else if (payload) heard(JSON.parse(payload) as EventPayload);
      },
      () => emitter.emit("wake"),
    );
  };

  const wakeNotify = postgres ? sql`pg_notify(${WAKE_CHANNEL}, '')` : null;
  // the local emit happens after commit, when the caller's transaction is done
  const woken = () => queueMicrotask(() => emitter.emit("wake"));

  return {
    notifies: postgres && Boolean(listenUrl),
    async wake(trx) {
      if (wakeNotify) await sql`select ${wakeNotify}`.execute(trx);
      woken();
    },
    wakeNotify,
    woken,
    async publish(event) {
      if (postgres && listenUrl) {
        await notifyEvents(event);
      } else {
        local(event);
      }
    },
    onWake(fn) {
      listen();
      emitter.on("wake", fn);
      return () => emitter.off("wake", fn);
    },
    onEvent(taskId, fn) {
      listen();
      const listeners = byTask.get(taskId) ?? new Set();
      byTask.set(taskId, listeners.add(fn));
      return () => {
        listeners.delete(fn);
        if (listeners.size === 0 && byTask.get(taskId) === listeners) byTask.delete(taskId);
      };
    },
    onCancelling(fn) {
      listen();
      emitter.on("cancelling", fn);
      return () => emitter.off("cancelling", fn);
    },
    async ready() {
      listen();
      await subscription?.ready();
    },
    async close() {
      closed = true;
      await subscription?.close();
      emitter.removeAllListeners();
      byTask.clear();
    },
  };
}
