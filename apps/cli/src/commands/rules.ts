// `steward rule …`: notification rules (docs/notifications.md, "Rules"). Settings are given as
// JSON (--settings, `ruleSettings`), channels by id (--channel, repeated); an error names the
// option.
import { v } from "@steward/contracts";
import { ruleCreate, ruleUpdate } from "@steward/contracts/notifications";
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
import { listCommand, lookup, removal } from "./shapes.ts";

const COLUMNS = ["id", "name", "accountId", "enabled", "channels"];
const idArg = (value: string) => parse(v.id, value, { input: "<rule>" });
const NAMES: Record<string, string> = {
  name: "--name",
  settings: "--settings",
  channels: "--channel",
};

const settingsOf = (text: string | undefined) => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError("--settings: must be a JSON object");
  }
};

/** the option an error names: "--settings quietHours.timeZone: …" */
const names = new Proxy(NAMES, {
  get: (_, field: string) =>
    field.startsWith("settings.") ? `--settings ${field.slice(9)}` : (NAMES[field] ?? `--${field}`),
});

export function ruleCommands(program: Command, g: () => GlobalOptions) {
  const rule = program.command("rule");
  listCommand(rule, [["--account <account>", "an account's rules (id or slug)"]]).action(
    async (o) => {
      const page = pageOptions(o);
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, o.account);
        print(g(), await svc.rules.list(ctx, { account, ...page }), COLUMNS);
      });
    },
  );
  lookup(rule, g, {
    command: ["show", "<rule>", "id"],
    ref: idArg,
    fetch: (svc, ctx, id) => svc.rules.get(ctx, id),
  });
  rule
    .command("add")
    .description("adds a rule; without --account an installation-wide one")
    .requiredOption("--name <name>")
    .requiredOption("--settings <json>", 'e.g. {"eventTypes":["site."],"groupSeconds":30}')
    .requiredOption("--channel <id...>", "the channels it sends to")
    .option("--account <account>", "the account it belongs to (id or slug)")
    .option("--disabled", "added disabled")
    .action(async (o) => {
      const input = parse(
        ruleCreate.omit({ account: true }),
        {
          name: o.name,
          enabled: !o.disabled,
          settings: settingsOf(o.settings),
          channels: o.channel,
        },
        names,
      );
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, o.account);
        print(g(), await svc.rules.create(ctx, { ...input, account }));
      });
    });
  rule
    .command("update")
    .description("changes a rule; what is not given stays (--settings replaces the settings)")
    .argument("<rule>", "id")
    .option("--name <name>")
    .option("--settings <json>")
    .option("--channel <id...>", "the channels it sends to (replaces them)")
    .option("--enable", "enable it")
    .option("--disable", "disable it")
    .action(async (ref: string, o) => {
      const id = idArg(ref);
      const enabled = o.enable ? true : o.disable ? false : undefined;
      const body = parse(
        ruleUpdate,
        { name: o.name, enabled, settings: settingsOf(o.settings), channels: o.channel },
        names,
      );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.rules.update(ctx, id, body)),
      );
    });
  removal(rule, g, {
    command: ["remove", "<rule>", "id"],
    answer: "removed",
    confirmAs: "rule",
    remove: (svc, ctx, ref) => svc.rules.remove(ctx, idArg(ref)),
  });
}
