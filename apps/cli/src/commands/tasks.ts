import { taskCreate, taskListQuery } from "@steward/contracts";
import { AppError } from "@steward/server/admin";
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
import { listCommand, lookup, paging } from "./shapes.ts";
import { followLogs, printLogs } from "./task-logs.ts";

const COLUMNS = ["id", "kind", "state", "enabled", "priority", "runAt", "expression", "accountId"];

/** Options of `task add`, by the field of the API they fill. */
const ADD_OPTIONS: Record<string, string> = {
  kind: "<kind>",
  payload: "--payload",
  accountId: "--account",
  expression: "--expression",
  timezone: "--timezone",
  priority: "--priority",
  runAt: "--run-at",
  delaySeconds: "--delay",
};

const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function json(text: string | undefined, option: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${option}: is not valid JSON`);
  }
}

/** The server's refusal of a field, as a refusal of the option that gave it. */
async function byOption<T>(names: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const detail = e instanceof AppError ? e.details?.[0] : undefined;
    const [top = "", ...inner] = detail?.field.split(".") ?? [];
    if (e instanceof AppError && e.code === "VALIDATION_FAILED" && detail && names[top])
      throw new UsageError(
        `${[names[top], ...(inner.length ? [inner.join(".")] : [])].join(": ")}: ${detail.message}`,
      );
    throw e;
  }
}

export function taskCommands(program: Command, g: () => GlobalOptions) {
  const task = program.command("task");
  listCommand(task, [
    ["--state <state>", "queued, running, succeeded, failed or cancelled"],
    ["--kind <kind>"],
    ["--target <type[:id]>", "the resource the tasks act on"],
    ["--account <account>", "id or slug"],
    ["--enabled <bool>", "true or false"],
  ]).action(async (o) => {
    const f = parse(taskListQuery, {
      state: o.state,
      kind: o.kind,
      target: o.target,
      enabled: o.enabled,
    });
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, o.account);
      print(g(), await svc.tasks.list(ctx, { ...f, account, ...page }), COLUMNS);
    });
  });
  lookup(task, g, { command: ["show", "<id>"], fetch: (svc, ctx, id) => svc.tasks.get(ctx, id) });
  paging(
    task
      .command("logs")
      .argument("<id>")
      .option("--follow", "print new lines as they come, until the task ends"),
    "the id of the last line already seen",
  ).action(async (id, o) => {
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      if (o.follow) await followLogs(svc, ctx, id, g(), page.cursor);
      else printLogs(g(), await svc.tasks.logs(ctx, id, page));
    });
  });
  for (const [name, description] of [
    ["run", "run now: a queued task at once, a finished one again, a recurring one once"],
    ["cancel", "cancel: a queued task at once; a running one is stopped by its worker"],
  ] as const)
    task
      .command(name)
      .description(description)
      .argument("<id>")
      .action(async (id) =>
        withServices(g(), async (svc, ctx) => print(g(), await svc.tasks[name](ctx, id))),
      );
  for (const [name, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const)
    task
      .command(name)
      .description(enabled ? "enable (a finished task runs again)" : "keep from running")
      .argument("<id>")
      .action(async (id) =>
        withServices(g(), async (svc, ctx) =>
          print(g(), await svc.tasks.update(ctx, id, { enabled })),
        ),
      );
  task
    .command("add")
    .description("create a task of a kind users may create")
    .argument("<kind>")
    .option("--account <account>", "id or slug; without one it is a system task")
    .option("--payload <json>", "the kind's parameters, as JSON", "{}")
    .option("--expression <cron>", 'make it recurring: "0 3 * * *", "@daily"...')
    .option("--timezone <zone>", "time zone of the expression, e.g. Europe/Paris")
    .option("--priority <n>", "0 (first) to 9 (last)")
    .option("--run-at <time>", "first run, ISO-8601")
    .option("--delay <seconds>", "first run in this many seconds")
    .option("--disabled", "create it disabled")
    .action(async (kind, o) => {
      const input = parse(
        taskCreate,
        {
          kind,
          payload: json(o.payload, "--payload"),
          expression: o.expression,
          timezone: o.timezone,
          priority: number(o.priority),
          runAt: o.runAt,
          delaySeconds: number(o.delay),
          ...(o.disabled ? { enabled: false } : {}),
        },
        ADD_OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const accountId = await accountIdOf(svc, ctx, o.account);
        const out = await byOption(ADD_OPTIONS, () =>
          svc.tasks.create(ctx, { ...input, accountId }),
        );
        print(g(), out.task);
      });
    });
}
