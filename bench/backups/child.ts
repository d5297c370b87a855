// One job of the backup bench in a process of its own, with the agent's code as the agent runs
// it (the functions the `backup.run` operation calls, without its HTTP and task around them):
// - backup: openBackupSource (the database source: pg_dump / mariadb-dump by argv) → runBackup
//   (zstd, encryption, the destination's put);
// - restore: the agent operation `backup.restore` (runOperation, as the agent runs operations)
//   into a new database;
// - upload: a file put to a destination (the temp-file variant's last step).
// The job comes as JSON in BENCH_JOB; the answer is one JSON line on stdout. The parent reads
// this process's peak RSS from /proc.
import { createReadStream } from "node:fs";
import { type AgentJson, parseConfig } from "@steward/agent";
import { openBackupSource, openDestination, runBackup, toolVersion } from "@steward/agent/backups";
import { backupRestore, runOperation } from "@steward/agent/testing";
import {
  backupRestoreInput,
  backupSourceSpec,
  type DestinationSettings,
  destinationSettings,
} from "@steward/contracts/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";

export interface Job {
  mode: "backup" | "restore" | "upload";
  engine: DatabaseEngine;
  /** the database to dump, or the new one to restore into */
  database: string;
  /** the agent's data directory and its `databases` (agent.json) */
  dataDir: string;
  databases: AgentJson["databases"];
  destination: DestinationSettings;
  /** the artifact's name on the destination */
  name: string;
  recipients: string[];
  privateKey?: string;
  /** upload: the file to put */
  file?: string;
}

export interface Answer {
  seconds: number;
  sourceBytes: number;
  /** this process's CPU seconds (user + system) */
  cpuSeconds?: number;
  /** of those, the seconds timed (the job itself: Node's start-up and the imports left out) */
  jobCpuSeconds?: number;
}

const cpuSecondsSince = (start?: NodeJS.CpuUsage) => {
  const cpu = process.cpuUsage(start);
  return Math.round((cpu.user + cpu.system) / 1e4) / 100;
};

async function run(job: Job): Promise<Answer> {
  const config = parseConfig(job.dataDir, {
    nodeId: "bench",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
    databases: job.databases,
  });
  const destination = openDestination(destinationSettings.parse(job.destination));
  // as in an agent that has run a backup before: the database drivers loaded (the agent loads
  // them with its first database source) and the dump tool's version known (asked once)
  await Promise.all([
    import("@steward/agent/databases"),
    toolVersion(job.engine === "postgres" ? "pg_dump" : "mariadb-dump"),
  ]);
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  const seconds = () => (performance.now() - start) / 1000;
  if (job.mode === "upload") {
    const stored = await destination.put(createReadStream(job.file ?? ""), job.name);
    return {
      seconds: seconds(),
      sourceBytes: stored.bytes,
      jobCpuSeconds: cpuSecondsSince(cpuAtStart),
    };
  }
  if (job.mode === "restore") {
    const result = await runOperation(
      backupRestore,
      backupRestoreInput.parse({
        destination: job.destination,
        artifact: job.name,
        privateKey: job.privateKey,
        target: {
          kind: "database",
          engine: job.engine,
          server: { kind: "local" },
          database: job.database,
        },
        dryRun: false,
      }),
      { config, requestId: "bench" },
    );
    if (result.status !== "ok") throw new Error(`restore: ${JSON.stringify(result.error)}`);
    return { seconds: seconds(), sourceBytes: 0, jobCpuSeconds: cpuSecondsSince(cpuAtStart) };
  }
  const source = await openBackupSource(
    backupSourceSpec.parse({
      kind: "database",
      engine: job.engine,
      server: { kind: "local" },
      database: job.database,
    }),
    { nodeId: "bench", databases: config.databases, compressionLevel: 3 },
  );
  const result = await runBackup({
    source: source.stream,
    sourceInfo: source.info,
    compressed: source.compressed,
    name: job.name,
    compressionLevel: 3,
    recipients: job.recipients,
    destinations: [{ id: job.destination.kind, destination }],
  });
  if (result.status !== "succeeded")
    throw new Error(
      `backup ${result.status}: ${result.error ?? JSON.stringify(result.destinations)}`,
    );
  return {
    seconds: seconds(),
    sourceBytes: result.metadata?.sourceBytes ?? 0,
    jobCpuSeconds: cpuSecondsSince(cpuAtStart),
  };
}

run(JSON.parse(process.env.BENCH_JOB ?? "{}") as Job).then(
  (answer) => {
    process.stdout.write(`${JSON.stringify({ ...answer, cpuSeconds: cpuSecondsSince() })}\n`);
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
