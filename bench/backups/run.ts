// `npm run bench:backups [-- --json] [--pg-gb 2] [--mariadb-gb 1]`: a PostgreSQL and a MariaDB
// database of the sizes asked (generated here, on hermetic servers), backed up side by side in
// one run: Steward's agent code to a local destination and to s3rver, the floor (the dump tool
// piped into zstd, into /dev/null), a DBackup-style temp-file run and restic --stdin; then
// restored by Steward and by `zstd -dc | pg_restore` (`| mariadb`). Progress on stderr; stdout
// the table, or with --json only {"results":[{"system","engine","destination","operation",
// "bytes","mbPerSecond","peakRssMb","tempFiles","cpuSecondsPerGb","note"}]}.
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
  mbPerSecond: number | null;
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

async function runEngine(e: Env, engine: DatabaseEngine, root: string): Promise<Result[]> {
  const rows: Result[] = [];
  let bytes = 0;
  const row = (system: Result["system"], destination: Result["destination"], m: Measured) => {
    const operation = destination === "database" ? "restore" : "backup";
    rows.push({
      system,
      engine,
      destination,
      operation,
      bytes,
      mbPerSecond: Math.round((bytes / 1e6 / m.seconds) * 10) / 10,
      peakRssMb: Math.round(m.peakRssMb * 10) / 10,
      tempFiles: m.tempFiles,
      ...(m.cpuSeconds === undefined
        ? {}
        : { cpuSecondsPerGb: Math.round((m.cpuSeconds / (bytes / 1e9)) * 100) / 100 }),
    });
    say(`${engine}: ${system} ${operation} (${destination}) ${JSON.stringify(rows.at(-1))}`);
    if (m.created?.length) say(`  files created: ${m.created.join(", ")}`);
  };
  say(`${engine}: steward → local`);
  const first = await steward(e, engine, localDestination(e));
  bytes = first.sourceBytes;
  row("steward", "local", first);
  row("steward", "s3", await steward(e, engine, e.s3));
  row("floor", "/dev/null", await floor(e, engine));
  row("tempfile", "local", await tempfile(e, engine, localDestination(e)));
  row("tempfile", "s3", await tempfile(e, engine, e.s3));
  if (e.restic) {
    const repo = join(root, `restic-${engine}`);
    execFileSync(e.restic, ["init", "--quiet", "--repo", repo], {
      env: { ...process.env, RESTIC_PASSWORD: "bench" },
    });
    row("restic", "local", await restic(e, engine, repo));
  } else
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
  row("steward", "database", await stewardRestore(e, engine, "restored_steward"));
  row("floor", "database", await floorRestore(e, engine, "restored_floor"));
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
      `| ${r.system} | ${r.engine} | ${r.operation} | ${r.destination} | ${(r.bytes / 1e6).toFixed(0)} | ${cell(r.mbPerSecond)} | ${cell(r.peakRssMb)} | ${cell(r.tempFiles)} | ${cell(r.cpuSecondsPerGb ?? null)} |${r.note ? ` ${r.note}` : ""}`,
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
