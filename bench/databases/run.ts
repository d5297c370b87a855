// `npm run bench:databases [-- --json] [--creates N] [--rows N] [--reads N] [--only a,b]`:
// creates of N databases with their users (default 1,000) on one hermetic server per engine,
// through Steward's API (a real panel reaching the server) and through the floor (the same
// statements by the `mariadb` / `psql` clients); p50 and p99 per create. Then the databases
// list page with every database Steward made (p50/p99 of --reads reads, default 50), and the
// SQL console's figures (sql-console.ts in a process of its own, so that the peak RSS is the
// console's: the first page of an --rows-row result, then streaming it whole). Progress on stderr;
// stdout the table, or with --json only {"results":[{"system","creates","p50Ms","p99Ms"}],
// "list":{"databases","reads","p50Ms","p99Ms"},"sqlConsole":{"rows","firstPageMs","peakRssMb"}}.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import type { DatabaseEngine } from "@steward/contracts/databases";
import { percentile } from "../tasks/harness.ts";
import { floorCreate } from "./floor.ts";
import { type BenchServer, startServer } from "./servers.ts";
import type { SqlConsoleResult } from "./sql-console.ts";
import { addServer, readList, type Steward, startSteward, stewardCreate } from "./steward.ts";

const ENGINES = ["mariadb", "postgres"] as const;
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    creates: { type: "string", default: "1000" },
    rows: { type: "string", default: "1000000" },
    reads: { type: "string", default: "50" },
    only: { type: "string", default: ENGINES.join(",") },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const number = (name: "creates" | "rows" | "reads") => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
  return n;
};

export interface Result {
  system: `${"steward" | "floor"}-${DatabaseEngine}`;
  creates: number;
  p50Ms: number;
  p99Ms: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

/** `count` creates, each timed: the i-th makes database d<i> and user u<i> (with a prefix). */
async function timed(count: number, label: string, create: (i: number) => Promise<void>) {
  const times: number[] = [];
  for (let i = 1; i <= count; i++) {
    const start = performance.now();
    await create(i);
    times.push(performance.now() - start);
    if (i % 100 === 0) say(`${label}: ${i} creates`);
  }
  return summary(times);
}

async function runEngine(
  server: BenchServer,
  steward: Steward,
  creates: number,
): Promise<Result[]> {
  const engine = server.engine;
  const floor = await timed(creates, `floor-${engine}`, (i) =>
    floorCreate(server, `f_d${i}`, `f_u${i}`),
  );
  const serverId = await addServer(steward, server);
  const ours = await timed(creates, `steward-${engine}`, (i) =>
    stewardCreate(steward, serverId, `s_d${i}`, `s_u${i}`),
  );
  const results: Result[] = [
    { system: `steward-${engine}`, creates, ...ours },
    { system: `floor-${engine}`, creates, ...floor },
  ];
  for (const r of results) say(JSON.stringify(r));
  return results;
}

/** `reads` reads of the databases list's first page, with `databases` in Steward. */
async function readLists(steward: Steward, databases: number, reads: number) {
  const times: number[] = [];
  for (let i = 0; i < reads; i++) {
    const start = performance.now();
    await readList(steward, databases);
    times.push(performance.now() - start);
  }
  return { databases, reads, ...summary(times) };
}

function print(
  results: Result[],
  list: Awaited<ReturnType<typeof readLists>>,
  sqlConsole: SqlConsoleResult,
) {
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ results, list, sqlConsole })}\n`);
    return;
  }
  const cols = ["system", "creates", "p50Ms", "p99Ms"] as const;
  const lines = [cols, ...results.map((r) => cols.map((c) => String(r[c])))];
  process.stdout.write(`${lines.map((l) => l.map((c) => c.padEnd(17)).join(" ")).join("\n")}\n`);
  process.stdout.write(
    `databases list at ${list.databases}: p50 ${list.p50Ms} ms, p99 ${list.p99Ms} ms (${list.reads} reads)\n`,
  );
  process.stdout.write(
    `SQL console: ${sqlConsole.rows} rows, first page ${sqlConsole.firstPageMs} ms, peak RSS ${sqlConsole.peakRssMb} MB\n`,
  );
}

async function main(): Promise<number> {
  const only = (values.only ?? "").split(",");
  for (const e of only)
    if (!(ENGINES as readonly string[]).includes(e)) throw new Error(`--only takes ${ENGINES}`);
  const creates = number("creates");
  const reads = number("reads");
  say(`the SQL console: ${number("rows")} rows`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [fileURLToPath(new URL("sql-console.ts", import.meta.url)), "--json", "--rows", values.rows],
    { maxBuffer: 1024 * 1024 },
  );
  const { sqlConsole } = JSON.parse(stdout) as { sqlConsole: SqlConsoleResult };
  const steward = await startSteward();
  const servers: BenchServer[] = [];
  try {
    const results: Result[] = [];
    for (const engine of ENGINES.filter((e) => only.includes(e))) {
      const server = await startServer(engine);
      servers.push(server);
      results.push(...(await runEngine(server, steward, creates)));
    }
    const list = await readLists(steward, creates * servers.length, reads);
    // printed before the servers stop: removing a thousand databases' files takes minutes
    print(results, list, sqlConsole);
  } finally {
    await steward.close();
    for (const server of servers) await server.stop();
  }
  return 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took more than 90 minutes");
  process.exit(2);
}, 90 * 60_000);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    const e = err as Error;
    say(`${e.stack ?? e}${e.cause ? `\ncaused by: ${String(e.cause)}` : ""}`);
    process.exit(1);
  },
);
