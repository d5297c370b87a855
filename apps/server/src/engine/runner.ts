// A worker: claims tasks for its free slots and ahead of them (local-queue.ts), runs their handlers with a context, renews
// leases by heartbeat, enforces per-kind timeouts and turns cancellation into an abort.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Db } from "../db/open.ts";
import { claimTasks } from "./claim.ts";
import { createHandlerContext, type TaskContextDeps } from "./context.ts";
import type { TaskBus } from "./events.ts";
import { createLocalQueue } from "./local-queue.ts";
import type { Registry } from "./registry.ts";
import { Slot } from "./slot.ts";
import type { Transitions } from "./transitions.ts";
import { type ClaimedTask, PermanentError, WaitUntil } from "./types.ts";

export interface RunnerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  /** most tasks claimed ahead of free slots (the local queue, local-queue.ts); 0 for none */
  localQueue?: number;
}

export interface Runner {
  readonly id: string;
  start(): void;
  /** stops claiming, aborts running handlers and waits for them */
  stop(): Promise<void>;
  /** when the loop last ran, for the scheduler-health check */
  lastTick(): number;
  running(): number;
}

const DEFAULT_LOCAL_QUEUE = 500;
/**
 * Claims on their way at once. On PostgreSQL two: the next claim (SKIP LOCKED) is on its way
 * while the one before it is still writing, so the slots do not wait for the local queue to
 * refill (+27% tasks/s in bench:tasks' drain, bench/README.md). SQLite runs one statement
 * at a time anyway.
 */
const CLAIMS_IN_FLIGHT = { postgres: 2, sqlite: 1 } as const;
const STOPPED = "Steward stopped while the task ran; it will be retried";

export function createRunner(
  db: Db,
  registry: Registry,
  bus: TaskBus,
  transitions: Transitions,
  ctxDeps: TaskContextDeps,
  log: Logger,
  opts: RunnerOptions,
): Runner {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const slots = new Map<string, Slot>();
  const claimsInFlight = CLAIMS_IN_FLIGHT[db.dialect];
  // with two claims at once, the next starts at three quarters of the queue's depth
  const queue = createLocalQueue(
    opts.localQueue ?? DEFAULT_LOCAL_QUEUE,
    claimsInFlight > 1 ? 0.75 : 0.5,
  );
  let settling = 0; // tasks out of their slot whose outcome is still being written
  let stopped = true;
  let claiming = 0; // claims on their way
  let asked = 0; // tasks those claims asked for
  let again = false;
  let last = Date.now();
  let poll: NodeJS.Timeout | undefined;
  let beat: NodeJS.Timeout | undefined;
  let offWake: (() => void) | undefined;
  let offCancelling: (() => void) | undefined;

  async function tick() {
    if (stopped) return;
    if (claiming >= claimsInFlight) {
      again = true;
      return;
    }
    claiming++;
    try {
      let round = 0;
      do {
        // Handlers just started that finish at once (in microtasks) give their slots back
        // before the next claim, which then fills every free slot in one round trip.
        if (round++ > 0) await new Promise((r) => setImmediate(r));
        if (stopped) break;
        again = false;
        last = Date.now();
        // slots the local queue and the claims on their way cannot fill, and the tasks to
        // claim ahead of them
        const free = Math.max(0, opts.concurrency - slots.size - queue.size - asked);
        const max = free + queue.ahead(last, asked);
        if (max <= 0) break;
        asked += max;
        let claimed: ClaimedTask[];
        try {
          claimed = await claimTasks(db, id, max, opts.leaseMs, free);
        } finally {
          asked -= max;
        }
        if (stopped) {
          // taken while this worker was stopping: back to the queue, the attempt not counted
          await transitions.requeue(claimed, STOPPED);
          break;
        }
        for (const task of claimed) queue.add(task);
        pump();
        if (claimed.length === max) again = true;
      } while (again && !stopped);
    } catch (err) {
      log.error({ err }, "task claim failed");
    } finally {
      claiming--;
    }
  }

  /** Free slots take the tasks first in line. */
  function pump() {
    while (!stopped && slots.size < opts.concurrency) {
      const next = queue.take();
      if (!next) return;
      void execute(next);
    }
  }

  /** Writes the outcome of a task that leaves the local queue unstarted; stop() waits for it. */
  async function settle(write: () => Promise<void>, taskIds: string[]) {
    settling++;
    try {
      await write();
    } catch (err) {
      log.error({ err, taskIds }, "could not record the tasks' outcome");
    } finally {
      settling--;
    }
  }

  /** a claim now, or after the ones on their way (tick() without its call when they are full) */
  function claimSoon() {
    if (claiming >= claimsInFlight) again = true;
    else void tick();
  }

  async function execute(task: ClaimedTask) {
    const slot = new Slot(task);
    slots.set(task.id, slot);
    const def = registry.get(task.kind);
    const timer = def
      ? setTimeout(
          () => slot.stop("timeout", new Error(`timed out after ${def.timeoutMs / 1000} s`)),
          def.timeoutMs,
        )
      : undefined;
    let flushLogs: () => Promise<unknown> | null = () => null;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      settling++;
      clearTimeout(timer);
      slots.delete(task.id);
      pump();
      claimSoon();
    };
    try {
      if (!def) throw new PermanentError(`no handler is registered for task kind "${task.kind}"`);
      const parsed = def.payload.safeParse(JSON.parse(task.payload));
      if (!parsed.success)
        throw new PermanentError(
          `the payload no longer fits kind ${task.kind}: ${parsed.error.issues[0]?.message}`,
        );
      const { ctx, flush } = createHandlerContext(ctxDeps, task, parsed.data, slot);
      flushLogs = flush;
      const result = await slot.run(() => def.run(ctx));
      const logs = flush(); // null when the handler wrote no line
      if (logs) await logs;
      // The handler is done: its slot takes the next task while the outcome is written, so
      // that write and the next claim overlap (stop() still waits for the write).
      release();
      await transitions.succeed(task, result);
    } catch (err) {
      const message =
        slot.reason === "timeout" && slot.error
          ? slot.error.message
          : (err as Error).message || String(err);
      try {
        await flushLogs();
        if (slot.reason === "lost")
          log.warn({ taskId: task.id }, "lease lost; left to its new worker");
        else if (slot.reason === "cancel") await transitions.cancelled(task);
        else if (slot.reason === "shutdown")
          // a graceful stop is not the task's failure: failing it would end a last attempt
          await transitions.requeue([task], STOPPED);
        else if (err instanceof WaitUntil) await transitions.wait(task, message, err.runAt);
        else await transitions.fail(task, message, { permanent: err instanceof PermanentError });
      } catch (e) {
        log.error({ err: e, taskId: task.id }, "could not record the task's outcome");
      }
    } finally {
      release();
      settling--;
    }
  }

  async function heartbeat() {
    if (slots.size === 0 && queue.size === 0) return;
    try {
      const now = Date.now();
      const ids = [...slots.keys(), ...queue.ids()];
      // One statement renews every lease this worker still holds, running or waiting in the
      // local queue, and says which were cancelled.
      const held = await db.db
        .updateTable("tasks")
        .set({ lease_until: now + opts.leaseMs })
        .where("id", "in", ids)
        .where("lease_owner", "=", id)
        .where("state", "=", "running")
        .returning(["id", "cancel_requested"])
        .execute();
      for (const row of held) if (row.cancel_requested === 1) cancel(row.id);
      // A lease this worker no longer holds was reaped (this process stalled past it): the
      // task belongs to someone else now, so stop the handler instead of running it twice.
      const renewed = new Set(held.map((r) => r.id));
      for (const taskId of ids) {
        if (renewed.has(taskId)) continue;
        slots
          .get(taskId)
          ?.stop("lost", new Error("the task's lease was lost; another worker has it"));
        if (queue.remove(taskId))
          log.warn({ taskId }, "lease lost before the task started; left to its new worker");
      }
    } catch (err) {
      log.error({ err }, "task heartbeat failed");
    }
  }

  /** A cancel reaches a task waiting in the local queue as it reaches one in its slot. */
  function cancel(taskId: string) {
    slots.get(taskId)?.stop("cancel", new Error("cancelled"));
    const waiting = queue.remove(taskId);
    if (waiting) void settle(() => transitions.cancelled(waiting), [taskId]);
  }

  return {
    id,
    start() {
      if (!stopped) return;
      stopped = false;
      offWake = bus.onWake(() => void tick());
      offCancelling = bus.onCancelling(cancel);
      poll = setInterval(() => void tick(), opts.pollMs);
      beat = setInterval(() => void heartbeat(), Math.max(100, Math.floor(opts.leaseMs / 3)));
      void tick();
    },
    async stop() {
      stopped = true;
      offWake?.();
      offCancelling?.();
      clearInterval(poll);
      clearInterval(beat);
      // claimed but not started: back to the queue in one statement, the attempts not counted
      const tasks = queue.drain();
      if (tasks.length)
        void settle(
          () => transitions.requeue(tasks, STOPPED),
          tasks.map((task) => task.id),
        );
      for (const slot of slots.values()) slot.stop("shutdown", new Error("shutting down"));
      while (slots.size > 0 || settling > 0 || claiming > 0)
        await new Promise((r) => setTimeout(r, 20));
    },
    lastTick: () => last,
    running: () => slots.size,
  };
}
