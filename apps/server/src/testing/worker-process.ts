// Real `steward serve --role ...` processes on one PostgreSQL database, for the proofs that
// several workers share the task table and survive one of them being killed.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "@steward/testkit";
import pino from "pino";
import { type Db, openPostgres } from "../db/open.ts";
import { noopTask } from "../engine/builtin/noop.ts";
import { createEngine, defaultEngineOptions } from "../engine/engine.ts";
import { migratedPostgresDatabase } from "./test-db.ts";

const cliMain = fileURLToPath(new URL("../../../cli/src/main.ts", import.meta.url));

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** the HTTP port (answering when the process has the api role) */
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts and stops worker processes sharing one data directory and master key: the
 * database's own when it already holds sealed data (it refuses any other), else a new one.
 */
export function workerPool(databaseUrl: string, masterKey = randomBytes(32).toString("base64")) {
  const dataDir = mkdtempSync(join(tmpdir(), "steward-workers-"));
  const all: WorkerProcess[] = [];
  // the test runner's own Steward settings must not leak into the workers
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("STEWARD_")),
  );

  /**
   * `steward serve --role roles`; a process with the api role listens on a free port.
   * `settings`: more STEWARD_* variables (STEWARD_TRUST_PROXY...).
   */
  async function start(roles: string, settings: NodeJS.ProcessEnv = {}): Promise<WorkerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [cliMain, "serve", "--role", roles], {
      env: {
        ...env,
        STEWARD_PORT: String(port),
        STEWARD_LISTEN: "127.0.0.1",
        STEWARD_DATABASE_URL: databaseUrl,
        STEWARD_LOCAL_AGENT: "0",
        STEWARD_DATA_DIR: dataDir,
        STEWARD_MASTER_KEY: masterKey,
        STEWARD_TASK_LEASE_SECONDS: "2",
        STEWARD_LOG_LEVEL: "warn",
        ...settings,
      },
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out = (out + d).slice(-20_000);
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      out = (out + d).slice(-20_000);
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on("exit", (code, signal) => r({ code, signal })),
    );
    const w: WorkerProcess = { child, pid: child.pid ?? -1, port, output: () => out, exited };
    all.push(w);
    // a plain wait (not expect.poll): a file may start its processes in beforeAll
    for (const deadline = Date.now() + 45_000; !/steward: (running|serving) /.test(out); ) {
      if (child.exitCode !== null) throw new Error(`worker exited early:\n${out}`);
      if (Date.now() > deadline) throw new Error(`worker not started in 45 s:\n${out}`);
      await sleep(50);
    }
    return w;
  }

  /** SIGTERM (graceful) for the live ones, SIGKILL for any that does not stop in 10 s. */
  async function stopAll() {
    await Promise.all(
      all.splice(0).map(async (w) => {
        if (w.child.exitCode !== null || w.child.signalCode !== null) return;
        w.child.kill("SIGTERM");
        const timer = setTimeout(() => w.child.kill("SIGKILL"), 10_000);
        await w.exited;
        clearTimeout(timer);
      }),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }

  return { start, stopAll };
}

/** The process id in a lease owner (`host:pid:random`). */
export const pidOf = (leaseOwner: string) => Number(leaseOwner.split(":").at(-2));

/**
 * A fresh, migrated PostgreSQL database, an engine in this process that only enqueues (no worker, no
 * reaping), and a pool of worker processes on it; what to close goes into `cleanups`.
 */
export async function workersOnFreshDatabase(cleanups: (() => Promise<void>)[]) {
  const url = await migratedPostgresDatabase();
  const db: Db = openPostgres(url);
  cleanups.push(() => db.close());
  const engine = createEngine(db, pino({ level: "silent" }), defaultEngineOptions);
  engine.registry.register(noopTask());
  cleanups.push(() => engine.stop());
  const pool = workerPool(url);
  cleanups.push(() => pool.stopAll());
  return { db, engine, pool };
}
