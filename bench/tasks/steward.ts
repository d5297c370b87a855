// Steward's task engine in this process, on a fresh PostgreSQL database (with LISTEN/NOTIFY
// wake-ups) or on a temp SQLite file, running the built-in `noop` kind (no sleep, no log),
// its tasks kept as records when they succeed or, as graphile-worker does, deleted
// (`onSuccess: "delete"`); or, with `--processes N`, N worker processes of its own on one
// PostgreSQL database.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  createEngine,
  type Db,
  defaultEngineOptions,
  migrateToLatest,
  noopTask,
  openPostgres,
  openSqlite,
} from "@steward/server";
import { createDatabase } from "@steward/testkit";
import pino from "pino";
import type { Probe, Settings, System, SystemUnderTest } from "./harness.ts";
import { workerProcesses } from "./processes.ts";

/**
 * noop's payload has no room for a sequence number: tasks are told apart by id. A handler
 * may start before its enqueue call returns the id; its start waits here until then.
 */
function idProbe(probe: Probe) {
  const seqs = new Map<string, number>();
  const early = new Map<string, number>();
  return {
    started(id: string, at = performance.now()) {
      const seq = seqs.get(id);
      if (seq === undefined) early.set(id, at);
      else probe.started(seq, at);
    },
    known(id: string, seq: number) {
      seqs.set(id, seq);
      const at = early.get(id);
      if (at !== undefined) probe.started(seq, at);
    },
  };
}

/**
 * The engine of this process: it enqueues, and runs the tasks unless worker processes do
 * (`processes`, PostgreSQL: then it only enqueues and counts).
 */
async function openEngine(
  db: Db,
  probe: Probe,
  s: Settings,
  listenUrl?: string,
  processes = 0,
  onSuccess: "disable" | "delete" = "disable",
) {
  await migrateToLatest(db);
  const engine = createEngine(db, pino({ level: "silent" }), {
    ...defaultEngineOptions,
    concurrency: s.concurrency,
    pollMs: s.pollMs,
    listenUrl,
  });
  const ids = idProbe(probe);
  const workers =
    processes > 0 && listenUrl
      ? await workerProcesses(processes, listenUrl, s, (id, at) => ids.started(id, at))
      : null;
  const noop = noopTask();
  engine.registry.register({
    ...noop,
    async run(ctx) {
      ids.started(ctx.task.id);
      return noop.run(ctx);
    },
  });
  const sut: SystemUnderTest = {
    async enqueueMany(first, count) {
      const specs = Array.from({ length: count }, () => ({
        kind: noop.kind,
        payload: {},
        onSuccess,
      }));
      const done = await engine.enqueueMany(specs);
      done.forEach(({ task }, i) => {
        ids.known(task.id, first + i);
      });
    },
    async startWorkers() {
      if (workers) return workers.start();
      engine.startWorker();
      engine.startScheduler();
    },
    async enqueueOne(seq) {
      const { task } = await engine.enqueue({ kind: noop.kind, payload: {}, onSuccess });
      ids.known(task.id, seq);
    },
    async pending() {
      const row = await db.db
        .selectFrom("tasks")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("state", "in", ["queued", "running"])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async stop() {
      await workers?.stop();
      await engine.stop();
      await db.close();
    },
  };
  return sut;
}

export const stewardPostgres = (pgUrl: string): System => ({
  name: "steward-postgres",
  async open(probe, s) {
    const url = await createDatabase(pgUrl);
    return openEngine(openPostgres(url, 10), probe, s, url);
  },
});

/** The same, its tasks deleted when they succeed: graphile-worker's semantic for a completed job. */
export const stewardPostgresDelete = (pgUrl: string): System => ({
  name: "steward-postgres-delete",
  async open(probe, s) {
    const url = await createDatabase(pgUrl);
    return openEngine(openPostgres(url, 10), probe, s, url, 0, "delete");
  },
});

/** Steward with `count` worker processes of its own (processes.ts) on one PostgreSQL database. */
export const stewardPostgresProcesses = (pgUrl: string, count: number): System => ({
  name: `steward-postgres-${count}p`,
  async open(probe, s) {
    const url = await createDatabase(pgUrl);
    return openEngine(openPostgres(url, 10), probe, s, url, count);
  },
});

export const stewardSqlite: System = {
  name: "steward-sqlite",
  async open(probe, s) {
    const dir = mkdtempSync(join(tmpdir(), "steward-bench-"));
    const db = openSqlite(join(dir, "bench.db"));
    const sut = await openEngine(db, probe, s);
    return {
      ...sut,
      async stop() {
        await sut.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
