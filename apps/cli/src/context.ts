import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { userInfo } from "node:os";
import { pageQuery } from "@steward/contracts";
import type { Ctx, Db, Services, Settings } from "@steward/server/admin";
import type { Logger } from "pino";
import { z } from "zod";
import { commandTable, commandWords } from "./commands/table.ts";
import { bundledFrom } from "./source.ts";

export interface GlobalOptions {
  json?: boolean;
  data?: string;
}

export class UsageError extends Error {}

/** The content of a file an option names (a usage error naming the option when unreadable). */
export function readOption(option: string, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${file} (${(e as NodeJS.ErrnoException).code})`);
  }
}

/**
 * The server's modules, imported when a command first needs them: its help, and input it
 * refuses, never load them (commands/table.ts). Its narrow entry: no HTTP server, logger or
 * better-auth (those load with the services that use them).
 */
const server = () => import("@steward/server/admin");

/** The CLI's log (warnings and errors on stderr), made when something first logs. */
function warnLog(): Logger {
  const pino = createRequire(bundledFrom ?? import.meta.url)("pino") as typeof import("pino");
  return pino.default({ level: "warn" }, pino.destination(2));
}

/** What is done before migrating PostgreSQL (the copy, or how to take one), on stderr. */
export const migrationLog = {
  warn: (message: string) => process.stderr.write(`steward: warning: ${message}\n`),
  info: (message: string) => process.stderr.write(`steward: ${message}\n`),
};

export async function settingsFrom(
  opts: GlobalOptions,
  extra: Partial<Record<keyof Settings, string | number>> = {},
) {
  const { loadSettings } = await server();
  return loadSettings(process.env, { ...(opts.data ? { dataDir: opts.data } : {}), ...extra });
}

/**
 * What runs on the task engine of the services the CLI opens, when a command first loads it:
 * an extension (or a test, through `node --import`) registers its task kinds here.
 */
export const engineExtensions: ((engine: Services["engine"]) => void)[] = [];

/**
 * Opens the database (migrating it), runs fn as the machine's administrator, closes. The
 * services load what the command uses (the server's services.ts): the task engine's part
 * before fn when the command table says its commands use it.
 */
export async function withServices<T>(
  opts: GlobalOptions,
  fn: (svc: Services, ctx: Ctx, opened: { settings: Settings; db: Db }) => Promise<T>,
): Promise<T> {
  const [command = ""] = commandWords(process.argv.slice(2));
  const engine = commandTable[command]?.engine === true;
  const settings = await settingsFrom(opts);
  const { openServices, migrateToLatest, openDatabase, postgresBeforeMigrating, systemActor } =
    await server();
  const db = openDatabase(settings);
  let svc: Services | undefined;
  try {
    await migrateToLatest(db, postgresBeforeMigrating(settings, migrationLog));
    svc = await openServices(settings, db, warnLog, {
      onEngine: (e) => {
        for (const extend of engineExtensions) extend(e);
      },
    });
    if (engine) await svc.load("engine");
    const ctx: Ctx = {
      actor: systemActor(`cli:${userInfo().username}`),
      grants: [],
      ip: null,
      requestId: `cli-${randomUUID()}`,
    };
    return await fn(svc, ctx, { settings, db });
  } finally {
    if (svc?.isLoaded("engine")) await svc.engine.stop();
    await db.close();
  }
}

/** Validates CLI input with the API's own schema; errors name the option. */
export function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  names: Record<string, string> = {},
): z.infer<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join(".") || "input";
  // An item of a list option (--scopes a,b,c) is reported as the option itself.
  const top = issue?.path[0] === undefined ? "input" : String(issue.path[0]);
  // so is an item of a nested list (source.excludes.0 is --exclude)
  const list = issue?.path.filter((p) => typeof p !== "number").join(".") ?? "";
  const keys = (issue as { keys?: string[] } | undefined)?.keys;
  const message = keys ? `unknown field(s) ${keys.join(", ")}` : (issue?.message ?? "invalid");
  throw new UsageError(`${names[field] ?? names[list] ?? names[top] ?? `--${top}`}: ${message}`);
}

/** --limit and --cursor, validated like the API's page query before anything runs. */
export function pageOptions(o: { limit?: string; cursor?: string }): {
  limit: number;
  cursor?: string;
} {
  return parse(z.strictObject(pageQuery), { limit: o.limit, cursor: o.cursor });
}

/**
 * What an option names, found: one that is not there is a usage error naming the option
 * (exit 2), before the command writes anything.
 */
async function named<T>(option: string, find: () => Promise<T>): Promise<T> {
  try {
    return await find();
  } catch (e) {
    const { AppError } = await server();
    if (e instanceof AppError && e.code === "NOT_FOUND")
      throw new UsageError(`${option}: ${e.message}`);
    throw e;
  }
}

/** The id of what an option names by id or another key, found by find. */
function idFinder(
  find: (svc: Services, ctx: Ctx, ref: string) => Promise<{ id: string }>,
  defaultOption: string,
) {
  function idOf(svc: Services, ctx: Ctx, ref: string, option?: string): Promise<string>;
  function idOf(
    svc: Services,
    ctx: Ctx,
    ref: string | undefined,
    option?: string,
  ): Promise<string | undefined>;
  async function idOf(svc: Services, ctx: Ctx, ref: string | undefined, option = defaultOption) {
    return ref === undefined ? undefined : (await named(option, () => find(svc, ctx, ref))).id;
  }
  return idOf;
}

/** An account's id from its id or slug (docs/cli.md, "References"). */
export const accountIdOf = idFinder((svc, ctx, ref) => svc.accounts.get(ctx, ref), "--account");

/** A node's id from its id or name (docs/cli.md, "References"). */
export const nodeIdOf = idFinder((svc, ctx, ref) => svc.nodes.get(ctx, ref), "--node");

/** A database server's id (docs/cli.md, "References"). */
export const databaseServerIdOf = idFinder(
  (svc, ctx, ref) => svc.databases.get(ctx, ref),
  "--server",
);

/** A user given by email or id. */
export async function resolveUser(svc: Services, ctx: Ctx, who: string) {
  const user = who.includes("@")
    ? await svc.users.findByEmail(who)
    : await svc.users.get(
        ctx,
        parse(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an email or a user id"), who, {
          input: "--user",
        }),
      );
  if (!user) throw new (await server()).AppError("NOT_FOUND", `user ${who} not found`);
  return user;
}
