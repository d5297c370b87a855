// `npm run bench:tasks [-- --json] [--tasks N] [--warmup N] [--concurrency N] [--rounds N] [--only a,b] [--processes N]`:
// Steward's task engine against graphile-worker and pg-boss, each in its default and its
// documented throughput configuration, on one hermetic PostgreSQL (127.0.0.1, fresh databases
// per system), and on SQLite. The systems' runs are interleaved (round after round, each round
// in another order), so machine drift does not land on one system; every figure is reported as
// min/median/max over the rounds. Progress goes to stderr; stdout carries the table, or with
// --json only {"results":[...]}.
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { graphileWorker } from "./graphile.ts";
import { measure, type Result, type Settings, type System } from "./harness.ts";
import { pgBoss } from "./pgboss.ts";
import { summarize } from "./rounds.ts";
import {
  stewardPostgres,
  stewardPostgresDelete,
  stewardPostgresProcesses,
  stewardSqlite,
} from "./steward.ts";
import { table } from "./table.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    tasks: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "10" },
    warmup: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    only: { type: "string" },
    processes: { type: "string", default: "2" },
  },
});

const settings: Settings = {
  concurrency: Number(values.concurrency),
  pollMs: 500,
  tasks: Number(values.tasks),
  warmupTasks: Number(values.warmup),
  latencyTasks: 500,
  latencySpacingMs: 20,
};
/** worker processes of their own: steward-postgres-1p against steward-postgres-Np (0: neither) */
const processes = Number(values.processes);
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const WATCHDOG_MS = 30 * 60_000; // the whole run, whatever hangs

async function main(): Promise<number> {
  const pg = await startPostgres();
  if (!pg) throw new Error("PostgreSQL binaries are missing (apt-get install postgresql)");
  const watchdog = setTimeout(() => {
    say(`still running after ${WATCHDOG_MS / 60_000} min: giving up`);
    void pg.stop().finally(() => process.exit(3));
  }, WATCHDOG_MS);
  watchdog.unref();
  const systems: System[] = [
    stewardPostgres(pg.url),
    stewardPostgresDelete(pg.url),
    ...(processes > 0
      ? [stewardPostgresProcesses(pg.url, 1), stewardPostgresProcesses(pg.url, processes)]
      : []),
    stewardSqlite,
    graphileWorker(pg.url, false),
    graphileWorker(pg.url, true),
    pgBoss(pg.url, false, say),
    pgBoss(pg.url, true, say),
  ].filter((s) => !values.only || values.only.split(",").includes(s.name));
  const runs: Result[] = [];
  let failed = 0;
  try {
    const rounds = Number(values.rounds);
    for (let round = 0; round < rounds; round++) {
      // each round starts with another system: none is always first (or last) on a drifting machine
      const order = systems.map((_, i) => systems[(i + round) % systems.length] as System);
      say(`round ${round + 1} of ${rounds}: ${order.map((s) => s.name).join(", ")}`);
      for (const system of order) {
        try {
          runs.push(await measure(system, settings, say));
        } catch (err) {
          failed++;
          say(`${system.name} failed: ${(err as Error).stack ?? err}`);
        }
      }
    }
  } finally {
    // pool.end() resolves before its sockets close, and Steward's pool has no error listener:
    // stopping the server at once would turn the closing connections' FATAL into a crash
    await new Promise((r) => setTimeout(r, 300));
    await pg.stop();
  }
  const results = summarize(runs);
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else process.stdout.write(table(results, settings));
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(`failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
