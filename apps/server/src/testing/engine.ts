// Task engine tests: a database per test file (with the PostgreSQL URL, so engines listen
// for NOTIFY like real processes do), engines with short polls and leases, small handlers,
// and waiting for a task to reach a state.
import { setTimeout as sleep } from "node:timers/promises";
import type { DialectName } from "@steward/testkit";
import pino from "pino";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { z } from "zod";
import { type Db, openPostgres } from "../db/open.ts";
import { claimTasks } from "../engine/claim.ts";
import { createEngine, defaultEngineOptions, type EngineOptions } from "../engine/engine.ts";
import type { TaskEvent } from "../engine/events.ts";
import type { ClaimedTask, HandlerDef, TaskRow } from "../engine/types.ts";
import { migratedPostgresDatabase, openTestDb } from "./test-db.ts";

export type TestEngine = ReturnType<typeof createEngine>;

/** Short poll, lease and reaping interval so tests see every transition quickly. */
export const testEngineOptions: EngineOptions = {
  ...defaultEngineOptions,
  concurrency: 4,
  pollMs: 50,
  leaseMs: 1_500,
  schedulerIntervalMs: 100,
};

export interface StartOptions extends Partial<EngineOptions> {
  /** start the worker (default true) */
  worker?: boolean;
  /** start the scheduler that reaps expired leases (default false) */
  scheduler?: boolean;
}

export interface EngineSuite {
  readonly db: Db;
  /** a new engine with these kinds registered; stopped after the test */
  start(kinds: HandlerDef[], opts?: StartOptions): TestEngine;
  row(id: string): Promise<TaskRow | undefined>;
  /** waits (generously: loaded machines) until the task is in `state`; returns its row */
  waitFor(id: string, state: TaskRow["state"], timeout?: number): Promise<TaskRow>;
}

/**
 * Opens a migrated database for the describe block it is called in, stops the engines a
 * test started and empties the task tables after each test.
 */
export function engineSuite(dialect: DialectName): EngineSuite {
  let db: Db | undefined;
  let listenUrl: string | undefined;
  const engines: TestEngine[] = [];
  beforeAll(async () => {
    if (dialect === "postgres") {
      listenUrl = await migratedPostgresDatabase();
      db = openPostgres(listenUrl);
    } else {
      db = await openTestDb(dialect);
    }
  });
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
    const d = suite.db.db;
    await d.deleteFrom("task_deps").execute();
    await d.deleteFrom("task_logs").execute();
    await d.deleteFrom("task_gaps").execute();
    await d.deleteFrom("tasks").execute();
  });
  afterAll(async () => {
    for (const e of engines.splice(0)) await e.stop();
    await db?.close();
  });
  const suite: EngineSuite = {
    get db() {
      if (!db) throw new Error("the database is not open yet");
      return db;
    },
    start(kinds, opts = {}) {
      const { worker = true, scheduler = false, ...rest } = opts;
      const engine = createEngine(suite.db, pino({ level: "silent" }), {
        ...testEngineOptions,
        listenUrl,
        ...rest,
      });
      for (const k of kinds) engine.registry.register(k);
      engines.push(engine);
      if (worker) engine.startWorker();
      if (scheduler) engine.startScheduler();
      return engine;
    },
    row: (id) =>
      suite.db.db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst(),
    async waitFor(id, state, timeout = 15_000) {
      await expect
        .poll(async () => (await suite.row(id))?.state, { timeout, interval: 25 })
        .toBe(state);
      const row = await suite.row(id);
      if (!row) throw new Error(`task ${id} disappeared`);
      return row;
    },
  };
  return suite;
}

/**
 * Resolves once the engine's bus delivers events: on PostgreSQL its LISTEN connection opens
 * in the background, and a NOTIFY sent before that is not delivered to it.
 */
export async function busReady(engine: TestEngine) {
  const taskId = `probe_${Math.random().toString(36).slice(2)}`;
  let seen = false;
  const off = engine.bus.onEvent(taskId, () => {
    seen = true;
  });
  try {
    await expect
      .poll(
        async () => {
          if (!seen) await engine.bus.publish({ type: "log", taskId });
          return seen;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);
  } finally {
    off();
  }
}

/** Any payload object; handlers read what they need. */
export const anyPayload = z.record(z.string(), z.unknown());

/** A handler definition with test defaults: one attempt, a 10 s timeout, any payload. */
export function kind(
  name: string,
  run: HandlerDef<typeof anyPayload>["run"],
  extra: Partial<HandlerDef<typeof anyPayload>> = {},
): HandlerDef {
  return {
    kind: name,
    description: `test kind ${name}`,
    payload: anyPayload,
    timeoutMs: 10_000,
    maxAttempts: 1,
    run,
    ...extra,
  } as HandlerDef;
}

/** A promise a test resolves by hand: handlers wait on it to be observed while running. */
export function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

/** Sleeps unless the signal aborts first (then rejects with its reason). */
export const pause = (ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal });

/** How many tasks run now (a test waiting for work it started earlier to end). */
export async function tasksRunning(db: Db): Promise<number> {
  const row = await db.db
    .selectFrom("tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("state", "=", "running")
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Forgets when tasks of a gap key last started (a test's second spaced task need not wait). */
export async function forgetGap(db: Db, gapKey: string) {
  await db.db.deleteFrom("task_gaps").where("gap_key", "=", gapKey).execute();
}

/**
 * Claims `ids` as one worker and ends every claimed task at once (each outcome coalesced into
 * the batched statement, engine/complete.ts): the ones `retry` picks fail (and are retried),
 * the others succeed. Resolves once a state event was heard for each task; answers what was
 * claimed, which were retried, and the states heard per task.
 */
export async function endAllAtOnce(
  s: EngineSuite,
  engine: TestEngine,
  ids: string[],
  retry: (index: number) => boolean,
) {
  const heard = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids)
    engine.bus.onEvent(id, (e: TaskEvent) => {
      if (e.type === "state") heard.get(id)?.push(e.state);
    });
  const claimed: ClaimedTask[] = await claimTasks(s.db, "w1", ids.length, 60_000);
  expect(claimed).toHaveLength(ids.length);
  const retried = new Set(claimed.filter((_, i) => retry(i)).map((task) => task.id));
  await Promise.all(
    claimed.map((task) =>
      retried.has(task.id)
        ? engine.transitions.fail(task, "again")
        : engine.transitions.succeed(task, null),
    ),
  );
  await expect
    .poll(() => [...heard.values()].filter((states) => states.length > 0).length, {
      timeout: 15_000,
    })
    .toBe(ids.length);
  return { claimed, retried, heard };
}
