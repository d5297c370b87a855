// `steward backup plan …` (issue 15): plans that take sources to destinations on a schedule,
// compressed, encrypted and kept for a while; `plan run` waits for its runs and prints their
// progress (backup-runs.ts) unless --no-wait. Input passes the API's own schema, so the CLI
// refuses what the API refuses, naming the option. Sources, runs and artifacts: beside it.
import { backupPlanCreate, backupPlanListQuery } from "@steward/contracts/backups";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { planEditCommands } from "./backup-restore.ts";
import { backupRunCommands, waitForRuns } from "./backup-runs.ts";
import { backupSourceCommands, idArg, namingOptions } from "./backup-sources.ts";
import { listCommand, lookup, removal } from "./shapes.ts";

const list = (value: string | undefined) => (value === undefined ? undefined : value.split(","));

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

export function backupPlanCommands(backup: Command, g: () => GlobalOptions) {
  backupSourceCommands(backup, g);
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
    .requiredOption("--account <account>", "id or slug")
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
      await withServices(g(), async (svc, ctx) => {
        const accountId = await accountIdOf(svc, ctx, input.accountId);
        const made = svc.backupPlans.create(ctx, { ...input, accountId });
        print(g(), await namingOptions(PLAN_OPTIONS, made));
      });
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
  planEditCommands(plan, g);
  removal(plan, g, {
    command: ["remove", "<id>", "id"],
    answer: "removed",
    confirmAs: "plan",
    remove: (svc, ctx, ref) => svc.backupPlans.remove(ctx, idArg(ref)),
  });
  backupRunCommands(backup, g);
}
