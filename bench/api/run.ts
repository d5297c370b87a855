// `npm run bench:api [-- --json] [--db sqlite,postgres] [--auth key,cookie] [--only a,b]
// [--connections N] [--duration S] [--warmup S] [--deep N] [--sites N] [--tasks N] [--audit N]
// [--actors super,admin,none] [--profile DIR] [--seed-only [--keep]]`: Steward's authenticated API at scale. For each database: seeds
// (bench/api/prepare.ts), starts `steward serve` on it (the e2e kit's startPanel), and
// measures every GET list endpoint for three actors (bench/api/measure.ts); a bare Fastify
// is the floor of the run. Progress goes to stderr; stdout carries the table and targets,
// or with --json only {"results":[...]}.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "@steward/testkit";
import { startPanel } from "@steward/web/e2e/harness";
import { loadOptions } from "../load/options.ts";
import { profiling } from "../load/profile.ts";
import { ACTORS, type ActorName } from "./access.ts";
import { FLOOR_PATH, startFloor } from "./floor.ts";
import { type Load, measure, measurePanel, type Result, resultOf } from "./measure.ts";
import { type Prepared, prepare } from "./prepare.ts";
import type { Dialect } from "./rows.ts";
import { table } from "./table.ts";

const { values } = parseArgs({
  options: {
    ...loadOptions({ duration: "1.5", warmup: "0.5", connections: "50", db: "sqlite,postgres" }),
    "seed-only": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    deep: { type: "string", default: "3" },
    sites: { type: "string", default: "10000" },
    tasks: { type: "string", default: "1000000" },
    audit: { type: "string", default: "1000000" },
    actors: { type: "string", default: ACTORS.join(",") },
    profile: { type: "string" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const positive = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, not ${values[name]}`);
  return n;
};

const load: Load = {
  connections: positive("connections"),
  durationSeconds: positive("duration"),
  warmupSeconds: Number(values.warmup),
  timeoutSeconds: positive("timeout"),
  deepPages: Number(values.deep),
  auth: values.auth.split(",").map((a) => {
    if (a !== "key" && a !== "cookie") throw new Error(`--auth takes key and cookie, not ${a}`);
    return a;
  }),
  only: values.only?.split(","),
  actors: values.actors.split(",").map((a) => {
    if (!ACTORS.includes(a as ActorName)) throw new Error(`--actors takes ${ACTORS}, not ${a}`);
    return a as ActorName;
  }),
};
const counts = { sites: positive("sites"), tasks: positive("tasks"), audit: positive("audit") };

function describe(p: Prepared): string {
  const rows = Object.entries(p.rows).map(([table, n]) => `${n} ${table}`);
  return `${p.dialect}: ${rows.join(", ")} seeded in ${p.seconds.toFixed(1)} s`;
}

/** Seeds one database, then (unless --seed-only) measures a panel serving it. */
async function system(dialect: Dialect, databaseUrl: string | undefined): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), `steward-bench-api-${dialect}-`));
  const removeData = async () => rmSync(dataDir, { recursive: true, force: true });
  if (!(values["seed-only"] && values.keep)) stopping.push(removeData);
  const prepared = await prepare(dialect, counts, dataDir, databaseUrl).catch(async (err) => {
    await removeData();
    throw err;
  });
  say(describe(prepared));
  if (values["seed-only"]) {
    if (values.keep) say(`kept ${prepared.dataDir}`);
    else await removeData();
    return;
  }
  const profile = profiling(values.profile, `steward-${dialect}`);
  const panel = await startPanel({
    dataDir: prepared.dataDir, // removed by close()
    env: {
      STEWARD_LOCAL_AGENT: "0",
      NODE_OPTIONS: `${values["node-flags"]} ${profile.flags}`.trim(),
      ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
    },
  });
  stopping.push(() => panel.close());
  try {
    await measurePanel(`steward-${dialect}`, panel.url, prepared, load, results);
  } finally {
    await panel.close(); // SIGTERM: a graceful exit writes the CPU profile
    await removeData();
    const summary = profile.summary(30);
    if (summary) say(summary);
  }
}

async function main(): Promise<number> {
  const dialects = values.db.split(",") as Dialect[];
  for (const d of dialects)
    if (d !== "sqlite" && d !== "postgres")
      throw new Error(`--db takes sqlite and postgres, not ${d}`);
  if (!values["seed-only"]) {
    const floor = await startFloor();
    try {
      const endpoint = { name: `GET ${FLOOR_PATH}`, method: "GET" as const, path: FLOOR_PATH };
      for (const r of await measure(floor.url, load, [endpoint]))
        results.push(resultOf("floor-fastify", "none", r));
    } finally {
      await floor.stop();
    }
  }
  const pg = dialects.includes("postgres") ? await startPostgres() : null;
  if (dialects.includes("postgres") && !pg) throw new Error("PostgreSQL binaries are missing");
  stopping.push(() => pg?.stop());
  let failed = 0;
  for (const dialect of dialects) {
    try {
      await system(dialect, dialect === "postgres" ? await pg?.createDatabase() : undefined);
    } catch (err) {
      failed++;
      say(`${dialect} failed: ${(err as Error).stack ?? err}`);
    }
  }
  await pg?.stop();
  report();
  return failed ? 1 : 0;
}

/** Every result so far (a run cut short reports what it measured). */
const results: Result[] = [];
function report() {
  if (values["seed-only"] || !results.length) return;
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else process.stdout.write(table(results, load.connections, load.durationSeconds));
}

/** What to stop when the run ends early (a signal, the watchdog). */
const stopping: (() => Promise<void> | undefined)[] = [];
async function abort(why: string, code: number) {
  say(why);
  report();
  await Promise.allSettled(stopping.map((stop) => stop()));
  process.exit(code);
}
const watchdog = setTimeout(
  () => void abort("watchdog: over 60 minutes; stopping", 2),
  60 * 60_000,
);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void abort(`${signal}: stopping`, 130));
main().then(
  (code) => {
    clearTimeout(watchdog);
    process.exit(code);
  },
  (err) => abort(`failed: ${(err as Error).stack ?? err}`, 1),
);
