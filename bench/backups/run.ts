// `npm run bench:backups [-- --json] [--pg-gb 2] [--mariadb-gb 1] [--rounds 1]`: a PostgreSQL and
// a MariaDB database of the sizes asked (generated here, on hermetic servers), backed up side by
// side in one run: Steward's agent code to a local destination and to s3rver, the floor (the
// dump tool piped into zstd, into /dev/null), a DBackup-style temp-file run and restic --stdin,
// `--rounds` times, each round starting with the next system (a backup's figure: the median
// round, with the min and max); then restored by Steward and by `zstd -dc | pg_restore`
// (`| mariadb`), once. Progress on stderr; stdout the table, or with --json only
// {"results":[{"system","engine","destination","operation","bytes","mbPerSecond",
// "mbPerSecondMin","mbPerSecondMax","rounds","peakRssMb","tempFiles","cpuSecondsPerGb","note"}]}.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateRecipient } from "@steward/agent/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";
import { startMariadb, startPostgres, startS3rver } from "@steward/testkit";
import { loadAverage } from "../monitors/proc.ts";
import { generateMariadb, generatePostgres } from "./generate.ts";
import {
  type Env,
  floor,
  floorRestore,
  localDestination,
  type Measured,
  restic,
  steward,
  stewardRestore,
  tempfile,
} from "./systems.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    "pg-gb": { type: "string", default: "2" },
    "mariadb-gb": { type: "string", default: "1" },
    rounds: { type: "string", default: "1" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const gigabytes = (name: "pg-gb" | "mariadb-gb") => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0 || n > 100)
    throw new Error(`--${name} takes a size in GB, > 0`);
  return Math.round(n * 1e9);
};

export interface Result {
  system: "steward" | "floor" | "tempfile" | "restic";
  engine: DatabaseEngine;
  destination: "local" | "s3" | "/dev/null" | "database";
  operation: "backup" | "restore";
  /** the dump's size (pg_dump -Fc -Z0 / mariadb-dump): the same for every row of an engine */
  bytes: number;
  /** the median round's */
  mbPerSecond: number | null;
  mbPerSecondMin?: number;
  mbPerSecondMax?: number;
  /** how many times it ran (backups: --rounds; restores: once) */
  rounds?: number;
  /** the highest of the rounds' */
  peakRssMb: number | null;
  tempFiles: number | null;
  /** Steward's rows: the agent process's CPU seconds per GB of the dump (the figure a loaded machine moves least) */
  cpuSecondsPerGb?: number;
  note?: string;
}

const which = (tool: string) => {
  try {
    return execFileSync("which", [tool], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
};

const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20)
  throw new Error("--rounds takes a whole number from 1 to 20");

async function main() {
  const sizes = { postgres: gigabytes("pg-gb"), mariadb: gigabytes("mariadb-gb") };
  const root = mkdtempSync(join(tmpdir(), "stw-bkbench-"));
  const [postgres, mariadb, s3] = await Promise.all([
    startPostgres(),
    startMariadb(),
    startS3rver(),
  ]);
  const stop = () => Promise.allSettled([postgres?.stop(), mariadb?.stop(), s3.stop()]);
  try {
    if (!postgres || !mariadb) throw new Error("PostgreSQL and MariaDB are needed");
    const e: Env = {
      postgres,
      mariadb,
      work: join(root, "work"),
      store: join(root, "store"),
      s3: {
        kind: "s3",
        endpoint: s3.endpoint,
        region: "us-east-1",
        bucket: s3.bucket,
        prefix: "",
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
      restic: which("restic"),
      recipient: generateRecipient(),
    };
    mkdirSync(e.work);
    say(
      `generating ${sizes.postgres / 1e9} GB in PostgreSQL, ${sizes.mariadb / 1e9} GB in MariaDB`,
    );
    await generatePostgres(postgres, sizes.postgres, say);
    await generateMariadb(mariadb, sizes.mariadb, say);
    const results: Result[] = [];
    for (const engine of ["postgres", "mariadb"] as const)
      results.push(...(await runEngine(e, engine, root)));
    print(results);
  } finally {
    await stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** the middle value (the lower of the two middle ones for an even count) */
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
const mbps = (bytes: number, seconds: number) => Math.round((bytes / 1e6 / seconds) * 10) / 10;

async function runEngine(e: Env, engine: DatabaseEngine, root: string): Promise<Result[]> {
  const rows: Result[] = [];
  let bytes = 0;
  const row = (system: Result["system"], destination: Result["destination"], runs: Measured[]) => {
    const operation = destination === "database" ? "restore" : "backup";
    const speeds = runs.map((m) => mbps(bytes, m.seconds));
    const cpu = runs.flatMap((m) => (m.cpuSeconds === undefined ? [] : [m.cpuSeconds]));
    rows.push({
      system,
      engine,
      destination,
      operation,
      bytes,
      mbPerSecond: median(speeds),
      ...(runs.length > 1
        ? { mbPerSecondMin: Math.min(...speeds), mbPerSecondMax: Math.max(...speeds) }
        : {}),
      rounds: runs.length,
      peakRssMb: Math.round(Math.max(...runs.map((m) => m.peakRssMb)) * 10) / 10,
      tempFiles: Math.max(...runs.map((m) => m.tempFiles)),
      ...(cpu.length === 0
        ? {}
        : { cpuSecondsPerGb: Math.round((median(cpu) / (bytes / 1e9)) * 100) / 100 }),
    });
    say(`${engine}: ${system} ${operation} (${destination}) ${JSON.stringify(rows.at(-1))}`);
    const created = [...new Set(runs.flatMap((m) => m.created ?? []))];
    if (created.length) say(`  files created: ${created.join(", ")}`);
  };
  // a new repository for each round (not timed): into the last one's, restic would store
  // nothing new (its chunks deduplicated) and answer at twice the floor's speed
  let repos = 0;
  const freshRepo = (restic: string) => {
    const repo = join(root, `restic-${engine}-${++repos}`);
    execFileSync(restic, ["init", "--quiet", "--repo", repo], {
      env: { ...process.env, RESTIC_PASSWORD: "bench" },
    });
    return repo;
  };
  const resticPath = e.restic;
  const backups: [Result["system"], Result["destination"], () => Promise<Measured>][] = [
    ["steward", "local", () => steward(e, engine, localDestination(e))],
    ["steward", "s3", () => steward(e, engine, e.s3)],
    ["floor", "/dev/null", () => floor(e, engine)],
    ["tempfile", "local", () => tempfile(e, engine, localDestination(e))],
    ["tempfile", "s3", () => tempfile(e, engine, e.s3)],
    ...(resticPath === null
      ? []
      : [
          [
            "restic",
            "local",
            () => restic(e, engine, freshRepo(resticPath)),
          ] as (typeof backups)[number],
        ]),
  ];
  const measured = backups.map((): Measured[] => []);
  for (let round = 0; round < rounds; round++)
    for (let k = 0; k < backups.length; k++) {
      const i = (k + round) % backups.length;
      const [system, destination, run] = backups[i] as (typeof backups)[number];
      say(`${engine}: round ${round + 1} of ${rounds}: ${system} → ${destination}`);
      const m = await run();
      if (system === "steward" && m.sourceBytes) bytes = m.sourceBytes;
      measured[i]?.push(m);
    }
  for (const [i, [system, destination]] of backups.entries())
    row(system, destination, measured[i] ?? []);
  if (resticPath === null)
    rows.push({
      system: "restic",
      engine,
      destination: "local",
      operation: "backup",
      bytes,
      mbPerSecond: null,
      peakRssMb: null,
      tempFiles: null,
      note: "not installed",
    });
  row("steward", "database", [await stewardRestore(e, engine, "restored_steward")]);
  row("floor", "database", [await floorRestore(e, engine, "restored_floor")]);
  return rows;
}

function print(results: Result[]) {
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
    return;
  }
  const cell = (v: number | null) => (v === null ? "-" : String(v));
  const lines = results.map(
    (r) =>
      `| ${r.system} | ${r.engine} | ${r.operation} | ${r.destination} | ${(r.bytes / 1e6).toFixed(0)} | ${cell(r.mbPerSecond)}${r.mbPerSecondMin === undefined ? "" : ` (${r.mbPerSecondMin} to ${r.mbPerSecondMax})`} | ${cell(r.peakRssMb)} | ${cell(r.tempFiles)} | ${cell(r.cpuSecondsPerGb ?? null)} |${r.note ? ` ${r.note}` : ""}`,
  );
  const checks = results
    .filter((r) => r.system === "steward")
    .map((r) => {
      const floorRow = results.find(
        (f) => f.system === "floor" && f.engine === r.engine && f.operation === r.operation,
      );
      const ratio = (r.mbPerSecond ?? 0) / (floorRow?.mbPerSecond ?? 1);
      const ok = (b: boolean) => (b ? "ok" : "MISS");
      return `${r.engine} ${r.operation} ${r.destination}: ${ratio.toFixed(2)}x the floor (${ok(ratio >= 0.9)}), peak RSS ${r.peakRssMb} MB (${ok((r.peakRssMb ?? 0) <= 200)}), temp files ${r.tempFiles} (${ok(r.tempFiles === 0)})`;
    });
  process.stdout.write(
    [
      `load average ${loadAverage()}`,
      "| system | engine | operation | destination | MB | MB/s | peak RSS MB | temp files | CPU s/GB |",
      "|---|---|---|---|---:|---:|---:|---:|---:|",
      ...lines,
      "",
      ...checks,
      "",
    ].join("\n"),
  );
}

const watchdog = setTimeout(() => {
  say("the run took over 3 hours: stopped");
  process.exit(1);
}, 3 * 3600_000);
watchdog.unref();
main().catch((error: Error) => {
  say(error.stack ?? error.message);
  process.exitCode = 1;
});
