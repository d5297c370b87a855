// `steward cron …`: hosting accounts' cron jobs (docs/hosting.md#cron-jobs), each run as one of
// the account's system users on its node. Input passes the API's own schemas (the schedule by
// the shared cron validator, the command one line without `%`); refusals name the flag.
import { v } from "@steward/contracts";
import {
  type CronJob,
  cronJobCreate,
  cronJobListQuery,
  cronJobUpdate,
} from "@steward/contracts/hosting";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { listCommand } from "./shapes.ts";

const COLUMNS = ["id", "user", "schedule", "command", "enabled", "status", "lastRun", "nodeId"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const collect = (value: string, previous: string[] = []) => [...previous, value];
const rowOf = (j: CronJob) => ({
  ...j,
  lastRun: j.lastRun
    ? `${j.lastRun.kind === "scheduled" ? "scheduled" : "now"} ${j.lastRun.state} ${j.lastRun.exitCode ?? ""}`.trim()
    : "",
});

/** --env NAME=VALUE pairs as an object (the schema keeps PATH and MAILTO only). */
function envOf(pairs: string[]) {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError("--env: must be NAME=VALUE (PATH or MAILTO)");
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

const FLAGS = {
  account: "--account",
  systemUser: "--user",
  schedule: "--schedule",
  command: "--command",
  env: "--env",
  enabled: "--disabled",
  heartbeat: "--heartbeat",
};

export function cronCommands(program: Command, g: () => GlobalOptions) {
  const cmd = program
    .command("cron")
    .description("hosting accounts' cron jobs, run as their system users (never root)");
  cmd
    .command("create")
    .description("adds a job to the account's cron file on its user's node; a task writes it")
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--user <user>", "one of the account's system users: id or name")
    .requiredOption("--schedule <expr>", 'five fields ("*/5 * * * *") or @hourly, @daily…')
    .requiredOption("--command <line>", "one line of shell, run as the user; no %")
    .option("--env <NAME=VALUE>", "PATH or MAILTO (repeat)", collect, [])
    .option("--disabled", "written to the panel only, not to the node")
    .option("--heartbeat", "a heartbeat monitor pinged after each run that exits 0")
    .action(async (o) => {
      const env = envOf(o.env);
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const users = await svc.systemUsers.list(ctx, account);
        const user = users.find((u) => u.id === o.user || u.name === o.user);
        if (!user) throw new UsageError("--user: must be a system user of the account");
        const input = parse(
          cronJobCreate,
          {
            account,
            systemUser: user.id,
            schedule: o.schedule,
            command: o.command,
            env,
            enabled: !o.disabled,
            heartbeat: o.heartbeat === true,
          },
          FLAGS,
        );
        const made = await svc.cron.create(ctx, input);
        if (g().json) return print(g(), made);
        const monitor = made.heartbeatMonitorId
          ? `heartbeat monitor ${made.heartbeatMonitorId}\n`
          : "";
        process.stdout.write(
          `cron job ${made.id}: ${made.schedule} as ${made.user}\ntask ${made.taskId} writes it on the node\n${monitor}`,
        );
      });
    });
  listCommand(cmd, [["--account <account>", "id or slug"]]).action(async (o) => {
    const f = parse(cronJobListQuery, { account: o.account }, FLAGS);
    await withServices(g(), async (svc, ctx) => {
      const account = f.account && ((await accountIdOf(svc, ctx, f.account)) ?? f.account);
      const page = await svc.cron.list(ctx, { account, ...pageOptions(o) });
      if (g().json) return print(g(), page);
      print(g(), { ...page, items: page.items.map(rowOf) }, COLUMNS);
    });
  });
  cmd
    .command("show")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => print(g(), await svc.cron.get(ctx, ref)));
    });
  cmd
    .command("set")
    .description("changes a job; a task writes it on the node")
    .argument("<id>")
    .option("--schedule <expr>", 'five fields ("*/5 * * * *") or @hourly, @daily…')
    .option("--command <line>", "one line of shell, run as the user; no %")
    .option("--heartbeat", "add a heartbeat monitor pinged after each run that exits 0")
    .option("--no-heartbeat", "remove the job's heartbeat monitor")
    .action(async (id, o) => {
      const ref = idArg(id);
      const input = parse(
        cronJobUpdate,
        Object.fromEntries(
          Object.entries({
            schedule: o.schedule,
            command: o.command,
            heartbeat: o.heartbeat,
          }).filter(([, value]) => value !== undefined),
        ),
        FLAGS,
      );
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.cron.update(ctx, ref, input);
        if (g().json) return print(g(), out);
        const monitor = out.heartbeatMonitorId
          ? `; heartbeat monitor ${out.heartbeatMonitorId}`
          : "";
        process.stdout.write(`cron job ${out.id}: task ${out.taskId} writes it${monitor}\n`);
      });
    });
  cmd
    .command("run")
    .description("runs the job's command now as its user; `steward task logs` shows the output")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.cron.run(ctx, ref);
        if (g().json) return print(g(), out);
        process.stdout.write(
          `task ${out.taskId} runs it; its output: steward task logs ${out.taskId}\n`,
        );
      });
    });
  cmd
    .command("delete")
    .description("removes the job's line from the node's cron file (a task), then the job")
    .argument("<id>")
    .requiredOption("--confirm <id>", "the job's id, again")
    .action(async (id, o) => {
      const ref = idArg(id);
      if (o.confirm !== ref) throw new UsageError("--confirm: must be the job's id");
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.cron.remove(ctx, ref, o.confirm);
        if (g().json) return print(g(), out);
        process.stdout.write(`cron job ${out.id}: task ${out.taskId} removes it\n`);
      });
    });
}
