import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { apiKeyCreate, auditListQuery } from "@steward/contracts";
import {
  migrateToLatest,
  openDatabase,
  postgresBeforeMigrating,
  readConfigFile,
  resolveOrigins,
  type SettingKey,
  secretSettings,
  settingDefs,
  settingKeys,
} from "@steward/server/admin";
import type { Command } from "commander";
import {
  type GlobalOptions,
  migrationLog,
  pageOptions,
  parse,
  resolveUser,
  settingsFrom,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { listCommand, paging, removal } from "./shapes.ts";

export function serveCommand(program: Command, g: () => GlobalOptions) {
  program
    .command("serve")
    .option("--port <port>", "port to listen on (STEWARD_PORT)")
    .option("--listen <address>", "address to listen on (STEWARD_LISTEN)")
    .option("--role <roles>", "all, or api,worker,scheduler (PostgreSQL only; STEWARD_ROLES)")
    .option("--no-local-agent", "do not run an agent for this machine (STEWARD_LOCAL_AGENT=0)")
    .action(async (o) => {
      const settings = await settingsFrom(g(), {
        ...(o.localAgent === false ? { localAgent: "0" } : {}),
        ...(o.port ? { port: o.port } : {}),
        ...(o.listen ? { listen: o.listen } : {}),
        ...(o.role ? { roles: o.role } : {}),
      });
      // the whole server (HTTP API, better-auth, logger): only serve loads the barrel
      const { serve, startLocalAgent } = await import("@steward/server");
      // the local agent runs this CLI's `agent` command: the panel is told which script that is
      const entry = fileURLToPath(new URL("../main.ts", import.meta.url));
      await serve(settings, { startLocalAgent: (deps) => startLocalAgent({ ...deps, entry }) });
    });
}

export function dbCommands(program: Command, g: () => GlobalOptions) {
  const db = program.command("db");
  db.command("migrate")
    .description("apply pending migrations (serve does this at start too)")
    .action(async () => {
      const settings = await settingsFrom(g());
      const handle = openDatabase(settings);
      try {
        const applied = await migrateToLatest(
          handle,
          postgresBeforeMigrating(settings, migrationLog),
        );
        print(g(), { database: handle.where, applied });
      } finally {
        await handle.close();
      }
    });
}

export function apiKeyCommands(program: Command, g: () => GlobalOptions) {
  const apikey = program.command("apikey");
  apikey
    .command("create")
    .description("create a key for a user; the key is printed once")
    .requiredOption("--user <user>", "email or id")
    .option("--name <name>", "what the key is for", "cli")
    .option("--scopes <list>", "comma-separated: *, read, operate, admin, account:<id>:<role>", "*")
    .option("--expires-days <n>", "days until the key expires")
    .action(async (o) =>
      withServices(g(), async (svc, ctx) => {
        const u = await resolveUser(svc, ctx, o.user);
        const input = parse(
          apiKeyCreate,
          {
            name: o.name,
            scopes: String(o.scopes)
              .split(",")
              .map((s) => s.trim()),
            expiresInDays: o.expiresDays === undefined ? undefined : Number(o.expiresDays),
            userId: u.id,
          },
          { expiresInDays: "--expires-days", "scopes.0": "--scopes", "scopes.1": "--scopes" },
        );
        const created = await svc.apiKeys.create(ctx, input);
        if (g().json) print(g(), created);
        else
          process.stdout.write(
            `${created.key}\n(id ${created.id}; this is the only time the key is shown)\n`,
          );
      }),
    );
  paging(apikey.command("list").requiredOption("--user <user>", "email or id")).action(async (o) =>
    withServices(g(), async (svc, ctx) => {
      const u = await resolveUser(svc, ctx, o.user);
      print(g(), await svc.apiKeys.list(ctx, { userId: u.id, ...pageOptions(o) }), [
        "id",
        "name",
        "start",
        "scopes",
        "expiresAt",
        "lastUsedAt",
      ]);
    }),
  );
  removal(apikey, g, {
    command: ["revoke", "<key-id>"],
    answer: "revoked",
    remove: (svc, ctx, ref) => svc.apiKeys.revoke(ctx, ref),
  });
}

export function auditCommands(program: Command, g: () => GlobalOptions) {
  listCommand(program.command("audit"), [
    ["--actor <id>", "user or API key id"],
    ["--action <action>", "e.g. user.create or user.*"],
    ["--target-type <type>"],
    ["--target <id>"],
    ["--account <id>"],
    ["--outcome <outcome>", "success, failure or denied"],
    ["--from <time>", "ISO-8601, inclusive"],
    ["--to <time>", "ISO-8601, exclusive"],
  ]).action(async (o) => {
    const f = parse(
      auditListQuery,
      {
        actor: o.actor,
        action: o.action,
        targetType: o.targetType,
        target: o.target,
        account: o.account,
        outcome: o.outcome,
        from: o.from,
        to: o.to,
      },
      { targetType: "--target-type" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.audit.list(ctx, { ...f, ...page }), [
        "at",
        "actorName",
        "action",
        "targetType",
        "targetId",
        "outcome",
        "ip",
        "requestId",
      ]),
    );
  });
}

/** A list setting (trustProxy) as it is written in the environment: comma-separated. */
const listText = (v: unknown) => (Array.isArray(v) ? v.join(",") : (v ?? ""));

export function configCommands(program: Command, g: () => GlobalOptions) {
  const config = program.command("config");
  const key = (k: string): SettingKey => {
    if (!settingKeys.includes(k as SettingKey))
      throw new UsageError(`<key>: unknown setting "${k}"; one of ${settingKeys.join(", ")}`);
    return k as SettingKey;
  };
  const shown = (k: SettingKey, v: unknown) =>
    secretSettings.has(k) && v !== undefined ? "[set, hidden]" : v;
  config.command("list").action(() => {
    const o = resolveOrigins(process.env, g().data ? { dataDir: g().data } : {});
    const rows = settingKeys.map((k) => ({
      key: k,
      value: shown(k, o[k].value),
      from: o[k].origin,
      env: settingDefs[k].env,
    }));
    print(g(), g().json ? { configFile: o.configFile, settings: rows } : rows);
    if (!g().json) process.stdout.write(`config file: ${o.configFile}\n`);
  });
  config
    .command("get")
    .argument("<key>")
    .action((k) => {
      const name = key(k);
      const o = resolveOrigins(process.env, g().data ? { dataDir: g().data } : {});
      print(
        g(),
        g().json
          ? { key: name, value: shown(name, o[name].value), from: o[name].origin }
          : listText(shown(name, o[name].value)),
      );
    });
  config
    .command("set")
    .argument("<key>")
    .argument("<value>")
    .description("write a setting to the config file (validated first)")
    .action((k, value) => writeSetting(g(), key(k), value));
  config
    .command("unset")
    .argument("<key>")
    .action((k) => writeSetting(g(), key(k), undefined));
}

function writeSetting(opts: GlobalOptions, name: SettingKey, value: string | undefined) {
  if (name === "dataDir")
    throw new UsageError(
      "dataDir: set it with STEWARD_DATA_DIR or --data; the config file lives inside it",
    );
  if (value !== undefined) {
    const r = settingDefs[name].schema.safeParse(value);
    if (!r.success) throw new UsageError(`${name}: ${r.error.issues[0]?.message ?? "invalid"}`);
  }
  const { configFile } = resolveOrigins(process.env, opts.data ? { dataDir: opts.data } : {});
  const current = readConfigFile(configFile);
  if (value === undefined) delete current[name];
  else current[name] = settingDefs[name].schema.parse(value);
  if (!existsSync(dirname(configFile))) mkdirSync(dirname(configFile), { recursive: true });
  const tmp = `${configFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, configFile);
  print(opts, { key: name, value: shownValue(name, current[name]), file: configFile });
}

const shownValue = (k: SettingKey, v: unknown) =>
  secretSettings.has(k) && v !== undefined ? "[set, hidden]" : (v ?? null);
