// `steward backup source|plan|run|artifact …` (issue 15): what backups read, the plans that
// take them to destinations, their runs and the artifacts they stored. Input passes the API's
// own schemas, so the CLI refuses what the API refuses, naming the option. `plan run` waits
// for the runs and prints their progress (bytes read, rate, each destination) unless
// --no-wait; a run that is partial or failed makes the exit code 1.
import { setTimeout as sleep } from "node:timers/promises";
import { v } from "@steward/contracts";
import {
  type BackupRun,
  backupArtifactListQuery,
  backupPlanCreate,
  backupPlanListQuery,
  backupRunListQuery,
  backupSourceCreate,
  backupSourceListQuery,
} from "@steward/contracts/backups";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { listCommand, lookup, removal } from "./shapes.ts";

const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const list = (value: string | undefined) => (value === undefined ? undefined : value.split(","));
const POLL_MS = 500;

const SOURCE_OPTIONS = {
  name: "--name",
  accountId: "--account",
  saveAnyway: "--save-anyway",
  source: "--kind",
  "source.kind": "--kind",
  "source.nodeId": "--node",
  "source.path": "--path",
  "source.excludes": "--exclude",
  "source.databaseId": "--database",
  "source.serverId": "--server",
  "source.uri": "STEWARD_BACKUP_SECRET",
  "source.database": "--mongo-database",
};

const PLAN_OPTIONS = {
  name: "--name",
  accountId: "--account",
  sourceIds: "--sources",
  destinationIds: "--destinations",
  schedule: "--schedule",
  timeZone: "--time-zone",
  compressionLevel: "--level",
  encryption: "--encrypt",
  "encryption.mode": "--encrypt",
  "encryption.recipients": "--recipient",
  retention: "--keep-last",
  concurrency: "--concurrency",
  enabled: "--disabled",
};

function sourceOf(o: Record<string, string | string[] | undefined>) {
  switch (o.kind) {
    case "files":
      return { kind: "files", nodeId: o.node, path: o.path, excludes: o.exclude ?? [] };
    case "database":
      return { kind: "database", databaseId: o.database };
    case "server":
      return { kind: "server", serverId: o.server };
    case "mongodb":
      return {
        kind: "mongodb",
        nodeId: o.node,
        uri: process.env.STEWARD_BACKUP_SECRET,
        database: o.mongoDatabase ?? null,
      };
    default:
      return { kind: o.kind };
  }
}

const num = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? value : Number(value);

function retentionOf(o: Record<string, string | undefined>) {
  const gfs = ["hourly", "daily", "weekly", "monthly", "yearly"] as const;
  if (gfs.some((k) => o[k] !== undefined))
    return { gfs: Object.fromEntries(gfs.map((k) => [k, num(o[k]) ?? 0])) };
  return o.keepLast === undefined ? undefined : { keepLast: num(o.keepLast) };
}

function encryptionOf(o: { encrypt?: string; recipient?: string[] }) {
  if (o.encrypt === undefined) return undefined;
  return o.encrypt === "recipients"
    ? { mode: "recipients", recipients: o.recipient ?? [] }
    : { mode: o.encrypt };
}

const mib = (n: number | null) => (n === null ? "-" : `${(n / 1024 / 1024).toFixed(1)} MiB`);

/** Waits for the runs, printing each task's progress as it changes, then each run's outcome. */
async function waitForRuns(svc: Services, ctx: Ctx, g: GlobalOptions, ids: string[]) {
  const said = new Map<string, string>();
  const done = new Map<string, BackupRun>();
  while (done.size < ids.length) {
    for (const id of ids) {
      if (done.has(id)) continue;
      const run = await svc.backupPlans.getRun(ctx, id);
      const task = run.taskId ? await svc.tasks.get(ctx, run.taskId).catch(() => null) : null;
      const progress = task?.progressMessage ?? null;
      if (!g.json && progress && said.get(id) !== progress) {
        said.set(id, progress);
        process.stdout.write(`${run.description}: ${progress}\n`);
      }
      if (!["queued", "running"].includes(run.status)) done.set(id, run);
    }
    if (done.size < ids.length) await sleep(POLL_MS);
  }
  const runs = ids.flatMap((id) => done.get(id) ?? []);
  if (g.json) print(g, { runs });
  else
    for (const run of runs) {
      process.stdout.write(
        `${run.description}: ${run.status}, ${mib(run.bytes)} stored${run.error ? `: ${run.error}` : ""}\n`,
      );
      for (const d of run.destinations)
        process.stdout.write(`  ${d.id}: ${d.error ? `failed: ${d.error}` : `${mib(d.bytes)}`}\n`);
    }
  if (runs.some((r) => r.status !== "succeeded")) process.exitCode = 1;
}

export function backupPlanCommands(backup: Command, g: () => GlobalOptions) {
  const source = backup
    .command("source")
    .description(
      "what backups read: a node's directory, a database, a server's databases, MongoDB",
    );
  listCommand(source, [["--account <account>", "id or slug"]], ["name", "createdAt"]).action(
    async (o) => {
      const f = parse(
        backupSourceListQuery,
        { account: o.account, sort: o.sort },
        { sort: "--sort" },
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, f.account);
        const page = await svc.backupSources.list(ctx, { ...f, account, ...pageOptions(o) });
        print(g(), page, ["id", "name", "kind", "nodeId", "accountId"]);
      });
    },
  );
  lookup(source, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupSources.get(ctx, ref),
  });
  source
    .command("add")
    .description("adds a source (a database or server is checked first: the databases it lists)")
    .requiredOption("--name <name>", "a label")
    .requiredOption("--account <account>", "the account's id")
    .requiredOption("--kind <kind>", "files, database, server or mongodb")
    .option("--node <node>", "files, mongodb: the node that reads it")
    .option("--path <path>", "files: an absolute directory")
    .option("--exclude <glob...>", "files: globs relative to the path (cache/**, *.log)")
    .option("--database <id>", "database: the database's id")
    .option("--server <id>", "server: the database server's id (all its databases)")
    .option("--mongo-database <name>", "mongodb: one database (the URI in STEWARD_BACKUP_SECRET)")
    .option("--save-anyway", "keep the source even when its check fails")
    .action(async (o) => {
      const input = parse(
        backupSourceCreate,
        {
          name: o.name,
          accountId: o.account,
          source: sourceOf(o),
          saveAnyway: Boolean(o.saveAnyway),
        },
        SOURCE_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.backupSources.create(ctx, input)),
      );
    });
  removal(source, g, {
    command: ["remove", "<id>", "id"],
    answer: "removed",
    confirmAs: "source",
    remove: (svc, ctx, ref) => svc.backupSources.remove(ctx, idArg(ref)),
  });

  const plan = backup
    .command("plan")
    .description("sources to destinations on a schedule, compressed, encrypted, kept for a while");
  listCommand(plan, [["--account <account>", "id or slug"]], ["name", "createdAt"]).action(
    async (o) => {
      const f = parse(
        backupPlanListQuery,
        { account: o.account, sort: o.sort },
        { sort: "--sort" },
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, f.account);
        const page = await svc.backupPlans.list(ctx, { ...f, account, ...pageOptions(o) });
        print(g(), page, ["id", "name", "schedule", "timeZone", "enabled", "accountId"]);
      });
    },
  );
  lookup(plan, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupPlans.get(ctx, ref),
  });
  plan
    .command("add")
    .description("adds a plan")
    .requiredOption("--name <name>", "a label")
    .requiredOption("--account <account>", "the account's id")
    .requiredOption("--sources <ids>", "source ids, comma-separated")
    .requiredOption("--destinations <ids>", "destination ids, comma-separated")
    .option("--schedule <cron>", "a cron expression (none: only when run)")
    .option("--time-zone <zone>", "the schedule's and retention's time zone (UTC)")
    .option("--level <n>", "zstd level 1-19 (3)")
    .option("--encrypt <mode>", "none, recipients (--recipient) or panel (a key pair sealed here)")
    .option("--recipient <key...>", "X25519 public keys (base64) the artifacts are encrypted for")
    .option("--keep-last <n>", "retention: the newest N (7)")
    .option("--hourly <n>", "retention GFS: hours")
    .option("--daily <n>", "retention GFS: days")
    .option("--weekly <n>", "retention GFS: ISO weeks")
    .option("--monthly <n>", "retention GFS: months")
    .option("--yearly <n>", "retention GFS: years")
    .option("--concurrency <n>", "runs at once on a node (1)")
    .option("--disabled", "do not run on the schedule yet")
    .action(async (o) => {
      const defined = (entries: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
      const input = parse(
        backupPlanCreate,
        defined({
          name: o.name,
          accountId: o.account,
          sourceIds: list(o.sources),
          destinationIds: list(o.destinations),
          schedule: o.schedule,
          timeZone: o.timeZone,
          compressionLevel: num(o.level),
          encryption: encryptionOf(o),
          retention: retentionOf(o),
          concurrency: num(o.concurrency),
          enabled: o.disabled ? false : undefined,
        }),
        PLAN_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.backupPlans.create(ctx, input)),
      );
    });
  plan
    .command("run")
    .description("runs the plan now and waits for its runs, printing their progress")
    .argument("<id>")
    .option("--no-wait", "print the runs and their tasks and return")
    .action(async (id, o: { wait: boolean }) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const started = await svc.backupPlans.run(ctx, ref);
        if (!o.wait) return print(g(), started.runs, ["runId", "taskId", "description"]);
        if (!g().json)
          for (const r of started.runs)
            process.stdout.write(`started ${r.runId} (task ${r.taskId}): ${r.description}\n`);
        await waitForRuns(
          svc,
          ctx,
          g(),
          started.runs.map((r) => r.runId),
        );
      });
    });
  removal(plan, g, {
    command: ["remove", "<id>", "id"],
    answer: "removed",
    confirmAs: "plan",
    remove: (svc, ctx, ref) => svc.backupPlans.remove(ctx, idArg(ref)),
  });

  const run = backup.command("run").description("what the plans' runs did");
  listCommand(run, [
    ["--plan <id>"],
    ["--status <status>", "queued, running, succeeded, partial, failed"],
  ]).action(async (o) => {
    const f = parse(
      backupRunListQuery,
      { plan: o.plan, status: o.status },
      { plan: "--plan", status: "--status" },
    );
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.backupPlans.listRuns(ctx, { ...f, ...pageOptions(o) }), [
        "id",
        "planId",
        "description",
        "status",
        "bytes",
        "finishedAt",
      ]),
    );
  });
  lookup(run, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupPlans.getRun(ctx, ref),
  });

  const artifact = backup.command("artifact").description("the artifacts runs stored");
  listCommand(artifact, [
    ["--plan <id>"],
    ["--source <id>"],
    ["--destination <id>"],
    ["--verified <bool>", "true or false"],
    ["--from <time>", "made at or after (ISO-8601)"],
    ["--to <time>", "made before (ISO-8601)"],
  ]).action(async (o) => {
    const f = parse(
      backupArtifactListQuery,
      {
        plan: o.plan,
        source: o.source,
        destination: o.destination,
        verified: o.verified,
        from: o.from,
        to: o.to,
      },
      {
        plan: "--plan",
        source: "--source",
        destination: "--destination",
        verified: "--verified",
        from: "--from",
        to: "--to",
      },
    );
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.backupPlans.listArtifacts(ctx, { ...f, ...pageOptions(o) }), [
        "id",
        "name",
        "destinationId",
        "bytes",
        "createdAt",
        "verifiedAt",
        "deletedAt",
      ]),
    );
  });
  lookup(artifact, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.backupPlans.getArtifact(ctx, ref),
  });
}
