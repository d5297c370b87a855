// `steward channel …`: notification channels (docs/notifications.md, "Channels"). Settings are
// given as JSON (--settings), secrets one by one (--secret field=value) or as a JSON object on
// standard input (--secrets-stdin), never echoed: answers show "[redacted]" and `secretsSet`.
import { v } from "@steward/contracts";
import {
  channelCreate,
  channelKinds,
  channelListQuery,
  channelSettings,
  channelUpdate,
  deliveryListQuery,
  deliveryStates,
} from "@steward/contracts/notifications";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print, readSecret } from "../io.ts";
import { listCommand, lookup, paging, removal } from "./shapes.ts";

const COLUMNS = ["id", "name", "kind", "accountId", "enabled", "secretsSet", "lastTest"];
const DELIVERY_COLUMNS = ["id", "state", "eventType", "eventCount", "attempts", "status", "error"];
const idArg = (value: string) => parse(v.id, value, { input: "<channel>" });
/** An error in the settings names the field: "--settings url: …" */
const NAMES: Record<string, string> = {
  name: "--name",
  kind: "--kind",
  settings: "--settings",
  ...Object.fromEntries(
    channelSettings.options
      .flatMap((kind) => Object.keys(kind.shape))
      .map((field) => [`settings.${field}`, `--settings ${field}`]),
  ),
  "settings.kind": "--kind",
};

interface SettingsOptions {
  settings?: string;
  secret?: string[];
  secretsStdin?: boolean;
}

/** --settings (a JSON object), then each secret of --secret field=value or of stdin's JSON. */
async function settingsInput(o: SettingsOptions): Promise<Record<string, unknown>> {
  const object = (text: string, option: string) => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {}
    throw new UsageError(`${option}: must be a JSON object`);
  };
  const out = o.settings === undefined ? {} : object(o.settings, "--settings");
  for (const pair of o.secret ?? []) {
    const at = pair.indexOf("=");
    if (at < 1) throw new UsageError("--secret: must be field=value");
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (o.secretsStdin) Object.assign(out, object(await readSecret(undefined, ""), "stdin"));
  return out;
}

const settingsOptions = (command: Command) =>
  command
    .option("--settings <json>", "the kind's fields as a JSON object (docs/notifications.md)")
    .option("--secret <field=value...>", "a secret field (password, secret, botToken…)")
    .option("--secrets-stdin", "read the secret fields as a JSON object from standard input");

export function channelCommands(program: Command, g: () => GlobalOptions) {
  const channel = program.command("channel");
  listCommand(channel, [
    ["--kind <kind>", channelKinds.join(", ")],
    ["--account <account>", "an account's channels (id or slug)"],
    ["--q <text>", "names starting with this"],
  ]).action(async (o) => {
    const f = parse(
      channelListQuery.omit({ account: true }),
      { kind: o.kind, q: o.q },
      { kind: "--kind", q: "--q" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, o.account);
      print(g(), await svc.channels.list(ctx, { ...f, account, ...page }), COLUMNS);
    });
  });
  lookup(channel, g, {
    command: ["show", "<channel>", "id"],
    ref: idArg,
    fetch: (svc, ctx, id) => svc.channels.get(ctx, id),
  });
  settingsOptions(
    channel
      .command("add")
      .description("adds a channel; without --account an installation-wide one")
      .requiredOption("--name <name>")
      .requiredOption("--kind <kind>", channelKinds.join(", "))
      .option("--account <account>", "the account it belongs to (id or slug)")
      .option("--disabled", "added disabled"),
  ).action(async (o) => {
    const settings = { ...(await settingsInput(o)), kind: o.kind };
    const input = parse(
      channelCreate.omit({ account: true }),
      { name: o.name, enabled: !o.disabled, settings },
      NAMES,
    );
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, o.account);
      print(g(), await svc.channels.create(ctx, { ...input, account }));
    });
  });
  settingsOptions(
    channel
      .command("update")
      .description("changes a channel; settings not given, and every secret not given, stay")
      .argument("<channel>", "id")
      .option("--name <name>")
      .option("--enable", "enable it")
      .option("--disable", "disable it"),
  ).action(async (ref: string, o: SettingsOptions & Record<string, unknown>) => {
    const id = idArg(ref);
    const given = await settingsInput(o);
    const enabled = o.enable ? true : o.disable ? false : undefined;
    await withServices(g(), async (svc, ctx) => {
      const current = Object.keys(given).length ? await svc.channels.get(ctx, id) : null;
      const settings = current ? { ...current.settings, ...given, kind: current.kind } : undefined;
      const body = parse(channelUpdate, { name: o.name, enabled, settings }, NAMES);
      print(g(), await svc.channels.update(ctx, id, body));
    });
  });
  removal(channel, g, {
    command: ["remove", "<channel>", "id"],
    answer: "removed",
    confirmAs: "channel",
    remove: (svc, ctx, ref) => svc.channels.remove(ctx, idArg(ref)),
  });
  paging(
    channel
      .command("deliveries")
      .argument("<channel>", "id")
      .option("--state <state>", deliveryStates.join(", ")),
  )
    .description("the channel's delivery log, newest first (requests redacted)")
    .action(async (ref: string, o) => {
      const id = idArg(ref);
      const f = parse(deliveryListQuery, { state: o.state }, { state: "--state" });
      const page = pageOptions(o);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.deliveries.list(ctx, id, { ...f, ...page }), DELIVERY_COLUMNS),
      );
    });
  channel
    .command("test")
    .description("sends a test notification now and prints the provider's answer (exit 1: failed)")
    .argument("<channel>", "id")
    .action(async (ref: string) => {
      const id = idArg(ref);
      await withServices(g(), async (svc, ctx) => {
        const result = await svc.channels.test(ctx, id);
        print(g(), result);
        if (!result.ok) process.exitCode = 1;
      });
    });
}
