// `npm run bench:monitors [-- --json] [--monitors N] [--seconds S] [--interval S] [--warmup S]
// [--only a,b] [--kuma N,M,...]`: N (default 10,000) HTTP monitors at a 60 s interval against
// a local HTTP server (1 in 20 slow, 1 in 20 down), side by side in one run: Steward on SQLite
// and on PostgreSQL (a real `steward serve`), the blackbox exporter driven by a scraper loop at
// the same rate (the floor), and Uptime Kuma at each of --kuma's sizes (installed on first use
// into .cache/peers/uptime-kuma), where it stops keeping up. Progress on stderr; stdout carries
// the table, or with --json only {"results":[...]}.
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { runBlackbox } from "./blackbox.ts";
import { runKuma } from "./kuma.ts";
import { loadAverage } from "./proc.ts";
import { type Result, SYSTEMS, withCpuPerCheck } from "./result.ts";
import { type RunOptions, runSteward } from "./steward.ts";
import { startTarget } from "./target.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    monitors: { type: "string", default: "10000" },
    seconds: { type: "string", default: "120" },
    interval: { type: "string", default: "60" },
    warmup: { type: "string" },
    only: { type: "string", default: SYSTEMS.join(",") },
    kuma: { type: "string", default: "250,500,1000,2000,4000,8000" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const number = (name: "monitors" | "seconds" | "interval", min: number) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`);
  return n;
};

async function main(): Promise<number> {
  const only = (values.only ?? "").split(",");
  for (const s of only) if (!SYSTEMS.includes(s)) throw new Error(`--only takes ${SYSTEMS}`);
  const intervalSeconds = number("interval", 20);
  const o: RunOptions = {
    monitors: number("monitors", 1),
    intervalSeconds,
    seconds: number("seconds", 1),
    warmupSeconds: values.warmup === undefined ? intervalSeconds : Number(values.warmup),
    say,
  };
  const target = await startTarget();
  const results: Result[] = [];
  let failed = false;
  const attempt = async (system: string, run: () => Promise<Result | Result[]>) => {
    if (!only.includes(system)) return;
    say(`${system} (load ${loadAverage()})`);
    try {
      results.push(...[await run()].flat().map(withCpuPerCheck));
    } catch (err) {
      failed = true;
      say(`${system} failed: ${(err as Error).stack ?? err}`);
    }
  };
  try {
    await attempt("steward-sqlite", () => runSteward("sqlite", undefined, target, o));
    await attempt("steward-postgres", async () => {
      const pg = await startPostgres();
      if (!pg) throw new Error("PostgreSQL is missing");
      try {
        return await runSteward("postgres", await pg.createDatabase(), target, o);
      } finally {
        await pg.stop();
      }
    });
    await attempt("blackbox-exporter", () => runBlackbox(target, o));
    await attempt("uptime-kuma", () =>
      runKuma(
        target,
        o,
        (values.kuma ?? "").split(",").map((n) => Number(n)),
      ),
    );
  } finally {
    await target.close();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else process.stdout.write(`${table(results)}\n`);
  return failed ? 1 : 0;
}

function table(results: Result[]): string {
  const cols = [
    "system",
    "monitors",
    "checksPerMinute",
    "p99JitterMs",
    "cpuPercent",
    "rssMb",
    "pageP99Ms",
    "cpuMsPerCheck",
    "load",
  ] as const;
  const rows = results.map((r) => cols.map((c) => String(r[c] ?? "-")));
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  const notes = results.filter((r) => r.note).map((r) => `${r.system} (${r.monitors}): ${r.note}`);
  return [line(cols), ...rows.map(line), ...notes].join("\n");
}

// an hour, and ten minutes for each of Kuma's sizes besides (two starts, its monitors started
// over an interval, the warm-up and the window)
const kumaStarts = (values.only ?? "").includes("uptime-kuma")
  ? (values.kuma ?? "").split(",").length * 10 * 60_000
  : 0;
const watchdog = setTimeout(
  () => {
    say(
      `watchdog: the run took more than ${Math.round((60 * 60_000 + kumaStarts) / 60_000)} minutes`,
    );
    process.exit(2);
  },
  60 * 60_000 + kumaStarts,
);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
