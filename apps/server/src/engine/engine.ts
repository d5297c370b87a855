// The task engine of one process: registry, transactional enqueue, cancel/rerun/patch, and —
// depending on the process's roles — a worker (runner) and the scheduler duties (lease
// reaping, health). Every write to the engine's tables is SQL of this folder.
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { Db } from "../db/open.ts";
import type { Database } from "../db/schema.ts";
import { type Enqueued, enqueue, enqueueMany } from "./enqueue.ts";
import { createBus } from "./events.ts";
import { createManage } from "./manage.ts";
import { createRegistry } from "./registry.ts";
import { createRunner, type Runner, type RunnerOptions } from "./runner.ts";
import { createTransitions } from "./transitions.ts";
import type { TaskSpec } from "./types.ts";

export interface EngineOptions extends RunnerOptions {
  /** how often the scheduler reaps expired leases */
  schedulerIntervalMs: number;
  /** the runner or scheduler counts as stalled after this long without a tick */
  stallAfterMs: number;
  /** PostgreSQL URL for the LISTEN connection (wake-ups and live events across processes) */
  listenUrl?: string;
}

export const defaultEngineOptions: EngineOptions = {
  concurrency: 8,
  leaseMs: 30_000,
  pollMs: 1_000,
  schedulerIntervalMs: 2_000,
  stallAfterMs: 60_000,
};

export function createEngine(db: Db, log: Logger, opts: EngineOptions = defaultEngineOptions) {
  const registry = createRegistry();
  const bus = createBus(db, opts.listenUrl);
  const transitions = createTransitions(db.db, registry, bus);
  const { cancel, rerun, patch } = createManage(db.db, bus, transitions);
  let runner: Runner | null = null;
  let scheduler: NodeJS.Timeout | null = null;
  let schedulerTick = 0;

  async function reap() {
    schedulerTick = Date.now();
    try {
      const n = await transitions.reapExpired();
      if (n) log.warn({ tasks: n }, "tasks whose worker stopped were put back or failed");
    } catch (err) {
      log.error({ err }, "lease reaping failed");
    }
  }

  return {
    registry,
    bus,
    /** what happens after an attempt (the runner's; the engine's own tests drive it) */
    transitions,
    /** a task's changes from outside its worker (engine/manage.ts); the engine announces them */
    cancel,
    rerun,
    patch,
    /** Enqueue inside the caller's transaction (or on its own when none is given). */
    enqueue: (spec: TaskSpec, trx?: Kysely<Database>): Promise<Enqueued> =>
      enqueue(trx ?? db.db, registry, bus, spec),
    /** Many tasks, all or none: in the caller's transaction or in one of its own. */
    enqueueMany(specs: TaskSpec[], trx?: Kysely<Database>): Promise<Enqueued[]> {
      const many = (t: Kysely<Database>) =>
        enqueueMany(t, registry, bus, specs, db.dialect === "postgres");
      return trx ? many(trx) : db.db.transaction().execute(many);
    },
    startWorker() {
      runner ??= createRunner(db, registry, bus, transitions, { db, bus, registry }, log, opts);
      runner.start();
      return runner;
    },
    /**
     * Reaps expired leases every schedulerIntervalMs, and at least every half lease: a task
     * whose worker died is back within 1.5x the lease (its lease ends at most one lease after
     * the worker's last heartbeat, and the next reap comes at most half a lease later).
     */
    startScheduler() {
      if (scheduler) return;
      void reap();
      const every = Math.min(opts.schedulerIntervalMs, Math.max(100, Math.floor(opts.leaseMs / 2)));
      scheduler = setInterval(() => void reap(), every);
    },
    /** What /readyz and /metrics report: when each loop of this process last ran. */
    health(now = Date.now()) {
      const age = (t: number) => (t ? now - t : null);
      const runnerAge = runner ? age(runner.lastTick()) : null;
      const schedulerAge = scheduler ? age(schedulerTick) : null;
      const stalled = [runnerAge, schedulerAge].some((a) => a !== null && a > opts.stallAfterMs);
      return {
        runnerAgeMs: runnerAge,
        schedulerAgeMs: schedulerAge,
        running: runner?.running() ?? 0,
        stalled,
        stallAfterMs: opts.stallAfterMs,
      };
    },
    async stop() {
      if (scheduler) clearInterval(scheduler);
      scheduler = null;
      await runner?.stop();
      await bus.close();
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
