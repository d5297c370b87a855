// The systems the backup bench compares, each one run of one engine's database: Steward's
// agent code in a child process (bench/backups/child.ts), the floor (the dump tool piped into
// zstd, into /dev/null), a DBackup-style temp-file run (dump to a file, compress it to a second
// file, then upload) and restic --stdin into a local repository; and restores (Steward's
// `backup.restore` vs `zstd -dc | pg_restore` / `| mariadb`). No shell: argv pipelines.
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import type { AgentJson } from "@steward/agent";
import { AGENT_NODE_FLAGS } from "@steward/cli/node-flags";
import type { DestinationSettings } from "@steward/contracts/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";
import type { MariadbServer, PostgresServer } from "@steward/testkit";
import type { Answer, Job } from "./child.ts";
import { createPostgresDatabase, DATABASE } from "./generate.ts";
import { finished, runPipeline, type Stage, watchCreated } from "./proc.ts";

export interface Env {
  postgres: PostgresServer;
  mariadb: MariadbServer;
  /** every process's cwd and TMPDIR, and the agent's data directory: watched, emptied after each run */
  work: string;
  /** the local destination's directory */
  store: string;
  s3: DestinationSettings;
  restic: string | null;
  recipient: { publicKey: string; privateKey: string };
}

export interface Measured {
  seconds: number;
  /** bytes read from the source (Steward's backups say it) */
  sourceBytes?: number;
  peakRssMb: number;
  tempFiles: number;
  /** Steward's process: its CPU seconds over the seconds timed (start-up and imports left out) */
  cpuSeconds?: number;
  /** the files counted: relative to the work directory */
  created?: string[];
}

const CHILD = join(import.meta.dirname, "child.ts");
/** BENCH_AGENT_FLAGS (space-separated) in place of the agent's, read at each run */
const agentFlags = () =>
  process.env.BENCH_AGENT_FLAGS?.split(" ").filter(Boolean) ?? AGENT_NODE_FLAGS;
export const localDestination = (e: Env): DestinationSettings => ({
  kind: "local",
  nodeId: "bench",
  path: e.store,
});

const agentDatabases = (e: Env): AgentJson["databases"] => ({
  mariadb: { socket: e.mariadb.socket, adminUser: "root" },
  postgres: { socketDir: e.postgres.socketDir, port: e.postgres.port, adminUser: "steward" },
});

/** the dump tool's argv: the options Steward's database source gives it */
export function dumpStage(e: Env, engine: DatabaseEngine, file?: string): Stage {
  return engine === "postgres"
    ? {
        file: "pg_dump",
        args: [
          `--host=${e.postgres.socketDir}`,
          `--port=${e.postgres.port}`,
          "--username=steward",
          "--no-password",
          "--format=custom",
          "--compress=0",
          ...(file ? [`--file=${file}`] : []),
          DATABASE,
        ],
      }
    : {
        file: "mariadb-dump",
        args: [
          `--socket=${e.mariadb.socket}`,
          "--user=root",
          "--single-transaction",
          "--routines",
          "--triggers",
          "--events",
          "--hex-blob",
          "--skip-dump-date",
          ...(file ? [`--result-file=${file}`] : []),
          DATABASE,
        ],
      };
}

const zstd = (args: string[]): Stage => ({ file: "zstd", args: ["-3", "-q", ...args] });

/** Runs `work` with the work directory watched; empties it after. */
async function watched(
  e: Env,
  work: () => Promise<Omit<Measured, "tempFiles">>,
): Promise<Measured & { sourceBytes: number }> {
  const watch = watchCreated([e.work]);
  try {
    const measured = await work();
    const created = watch.stop().map((p) => relative(e.work, p));
    return { sourceBytes: 0, ...measured, tempFiles: created.length, created };
  } finally {
    watch.stop();
    for (const name of readdirSync(e.work)) rmSync(join(e.work, name), { recursive: true });
  }
}

/** bench/backups/child.ts with `job`; its own timing and its peak RSS */
async function child(e: Env, job: Omit<Job, "dataDir" | "databases" | "recipients">) {
  const full: Job = {
    ...job,
    dataDir: join(e.work, "agent"),
    databases: agentDatabases(e),
    recipients: [e.recipient.publicKey],
    privateKey: e.recipient.privateKey,
  };
  const proc = spawn(process.execPath, [...agentFlags(), CHILD], {
    cwd: e.work,
    env: { ...process.env, TMPDIR: e.work, BENCH_JOB: JSON.stringify(full) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const done = await finished(proc);
  if (done.code !== 0) throw new Error(`${job.mode} failed: ${done.stderr.trim().slice(-800)}`);
  // the answer is the last line (V8's --trace-gc, given in BENCH_AGENT_FLAGS, writes before it)
  const lines = done.stdout.trim().split("\n");
  const answer = JSON.parse(lines.at(-1) ?? "") as Answer;
  return { ...answer, peakRssMb: done.peakRssMb };
}

const env = (e: Env, more: Record<string, string> = {}) => ({ TMPDIR: e.work, ...more });
const timed = async <T>(work: () => Promise<T>) => {
  const start = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - start) / 1000 };
};

export function steward(e: Env, engine: DatabaseEngine, destination: DestinationSettings) {
  return watched(e, async () => {
    const name = `steward-${engine}-${destination.kind}.dump`;
    const run = await child(e, { mode: "backup", engine, database: DATABASE, destination, name });
    return {
      seconds: run.seconds,
      peakRssMb: run.peakRssMb,
      sourceBytes: run.sourceBytes,
      cpuSeconds: run.jobCpuSeconds,
    };
  });
}

export function floor(e: Env, engine: DatabaseEngine) {
  return watched(e, async () => {
    const stages = [{ ...dumpStage(e, engine), env: env(e) }, zstd(["-c"])];
    const { value, seconds } = await timed(() => runPipeline(stages, { cwd: e.work }));
    return { seconds, peakRssMb: value[1]?.peakRssMb ?? 0 };
  });
}

/** dump to a file, compress it into a second one, upload that; `keep`: a copy of the compressed file */
export function tempfile(e: Env, engine: DatabaseEngine, destination: DestinationSettings) {
  return watched(e, async () => {
    const dump = join(e.work, `${engine}.dump`);
    const { value: steps, seconds } = await timed(async () => {
      const [dumped] = await runPipeline([{ ...dumpStage(e, engine, dump), env: env(e) }], {
        cwd: e.work,
      });
      const [packed] = await runPipeline([zstd(["--rm", dump])], { cwd: e.work });
      const name = `tempfile-${engine}.zst`;
      const upload = await child(e, {
        mode: "upload",
        engine,
        database: DATABASE,
        destination,
        name,
        file: `${dump}.zst`,
      });
      return [dumped, packed, upload];
    });
    return { seconds, peakRssMb: Math.max(steps[1]?.peakRssMb ?? 0, steps[2]?.peakRssMb ?? 0) };
  });
}

export function restic(e: Env, engine: DatabaseEngine, repo: string) {
  return watched(e, async () => {
    const resticEnv = env(e, { RESTIC_PASSWORD: "bench", RESTIC_REPOSITORY: repo });
    const stages = [
      { ...dumpStage(e, engine), env: env(e) },
      {
        file: e.restic ?? "restic",
        args: ["backup", "--no-cache", "--quiet", "--stdin", "--stdin-filename", `${engine}.dump`],
        env: resticEnv,
      },
    ];
    const { value, seconds } = await timed(() => runPipeline(stages, { cwd: e.work }));
    return { seconds, peakRssMb: value[1]?.peakRssMb ?? 0 };
  });
}

/** Steward's `backup.restore` of its local artifact into the new database `into` */
export function stewardRestore(e: Env, engine: DatabaseEngine, into: string) {
  return watched(e, async () => {
    const name = `steward-${engine}-local.dump`;
    const destination = localDestination(e);
    const run = await child(e, { mode: "restore", engine, database: into, destination, name });
    return { seconds: run.seconds, peakRssMb: run.peakRssMb, cpuSeconds: run.jobCpuSeconds };
  });
}

/** `zstd -dc <the temp-file run's plain .zst> | pg_restore` (or `| mariadb`) into `into` */
export function floorRestore(e: Env, engine: DatabaseEngine, into: string) {
  return watched(e, async () => {
    const load: Stage =
      engine === "postgres"
        ? {
            file: "pg_restore",
            args: [
              `--host=${e.postgres.socketDir}`,
              `--port=${e.postgres.port}`,
              "--username=steward",
              "--no-password",
              "--no-owner",
              "--exit-on-error",
              "--single-transaction",
              `--dbname=${into}`,
            ],
          }
        : {
            file: "mariadb",
            args: [`--socket=${e.mariadb.socket}`, "--user=root", "--batch", `--database=${into}`],
          };
    const { value, seconds } = await timed(async () => {
      if (engine === "postgres") await createPostgresDatabase(e.postgres, into);
      else await e.mariadb.sql(`CREATE DATABASE ${into}`);
      const input = join(e.store, `tempfile-${engine}.zst`);
      return runPipeline([zstd(["-dc"]), load], { cwd: e.work, input });
    });
    return { seconds, peakRssMb: value[0]?.peakRssMb ?? 0 };
  });
}
