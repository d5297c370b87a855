// A worker: claims tasks up to its concurrency, runs their handlers with a context, renews
// leases by heartbeat, enforces per-kind timeouts and turns cancellation into an abort.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Db } from "../db/open.ts";
import { claimTasks } from "./claim.ts";
import { createHandlerContext, type TaskContextDeps } from "./context.ts";
import type { TaskBus } from "./events.ts";
import type { Registry } from "./registry.ts";
import type { Transitions } from "./transitions.ts";
import { PermanentError, type TaskRow } from "./types.ts";

export interface RunnerOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
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

interface Slot {
  task: TaskRow;
  abort: AbortController;
  reason: "cancel" | "timeout" | "shutdown" | null;
}

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
  let stopped = true;
  let ticking = false;
  let again = false;
  let last = Date.now();
  let poll: NodeJS.Timeout | undefined;
  let beat: NodeJS.Timeout | undefined;
  let offWake: (() => void) | undefined;

  async function tick() {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        last = Date.now();
        const free = opts.concurrency - slots.size;
        if (free <= 0) break;
        const claimed = await claimTasks(db, id, free, opts.leaseMs);
        for (const task of claimed) void execute(task);
        if (claimed.length === free) again = true;
      } while (again && !stopped);
    } catch (err) {
      log.error({ err }, "task claim failed");
    } finally {
      ticking = false;
    }
  }

  async function execute(task: TaskRow) {
    const abort = new AbortController();
    const slot: Slot = { task, abort, reason: null };
    slots.set(task.id, slot);
    const offCancel = bus.onEvent(task.id, (e) => {
      if (e.type === "state" && e.state === "cancelling") cancel(task.id);
    });
    const def = registry.get(task.kind);
    const timer = def
      ? setTimeout(() => {
          slot.reason = "timeout";
          abort.abort(new Error(`timed out after ${def.timeoutMs / 1000} s`));
        }, def.timeoutMs)
      : undefined;
    let flushLogs: () => Promise<unknown> = async () => {};
    try {
      if (!def) throw new PermanentError(`no handler is registered for task kind "${task.kind}"`);
      const parsed = def.payload.safeParse(JSON.parse(task.payload));
      if (!parsed.success)
        throw new PermanentError(
          `the payload no longer fits kind ${task.kind}: ${parsed.error.issues[0]?.message}`,
        );
      const { ctx, flush } = createHandlerContext(ctxDeps, task, parsed.data, abort.signal);
      flushLogs = flush;
      const result = await raceAbort(def.run(ctx), abort.signal);
      await flush();
      await transitions.succeed(task, result);
    } catch (err) {
      const message =
        slot.reason === "timeout"
          ? String((abort.signal.reason as Error).message)
          : (err as Error).message || String(err);
      try {
        await flushLogs();
        if (slot.reason === "cancel") await transitions.cancelled(task);
        else if (slot.reason === "shutdown")
          await transitions.fail(task, "Steward stopped while the task ran; it will be retried");
        else await transitions.fail(task, message, { permanent: err instanceof PermanentError });
      } catch (e) {
        log.error({ err: e, taskId: task.id }, "could not record the task's outcome");
      }
    } finally {
      clearTimeout(timer);
      offCancel();
      slots.delete(task.id);
      void tick();
    }
  }

  async function heartbeat() {
    if (slots.size === 0) return;
    try {
      const now = Date.now();
      const ids = [...slots.keys()];
      await db.db
        .updateTable("tasks")
        .set({ lease_until: now + opts.leaseMs })
        .where("id", "in", ids)
        .where("lease_owner", "=", id)
        .where("state", "=", "running")
        .execute();
      const cancelled = await db.db
        .selectFrom("tasks")
        .select("id")
        .where("id", "in", ids)
        .where("cancel_requested", "=", 1)
        .execute();
      for (const { id: taskId } of cancelled) cancel(taskId);
    } catch (err) {
      log.error({ err }, "task heartbeat failed");
    }
  }

  function cancel(taskId: string) {
    const slot = slots.get(taskId);
    if (slot && !slot.reason) {
      slot.reason = "cancel";
      slot.abort.abort(new Error("cancelled"));
    }
  }

  return {
    id,
    start() {
      if (!stopped) return;
      stopped = false;
      offWake = bus.onWake(() => void tick());
      poll = setInterval(() => void tick(), opts.pollMs);
      beat = setInterval(() => void heartbeat(), Math.max(100, Math.floor(opts.leaseMs / 3)));
      void tick();
    },
    async stop() {
      stopped = true;
      offWake?.();
      clearInterval(poll);
      clearInterval(beat);
      for (const slot of slots.values()) {
        if (!slot.reason) {
          slot.reason = "shutdown";
          slot.abort.abort(new Error("shutting down"));
        }
      }
      while (slots.size > 0) await new Promise((r) => setTimeout(r, 20));
    },
    lastTick: () => last,
    running: () => slots.size,
  };
}

/** Settles when the handler does or when the signal aborts, whichever comes first. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
