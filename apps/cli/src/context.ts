import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { pageQuery } from "@steward/contracts";
import type { Ctx, Services, Settings } from "@steward/server";
import { z } from "zod";

export interface GlobalOptions {
  json?: boolean;
  data?: string;
}

export class UsageError extends Error {}

/**
 * The server's modules, imported when a command first needs them: its help, and input it
 * refuses, never load them (commands/table.ts).
 */
const server = () => import("@steward/server");

export async function settingsFrom(
  opts: GlobalOptions,
  extra: Partial<Record<keyof Settings, string | number>> = {},
) {
  const { loadSettings } = await server();
  return loadSettings(process.env, { ...(opts.data ? { dataDir: opts.data } : {}), ...extra });
}

/**
 * What runs on each set of services the CLI opens, before any command: an extension (or a
 * test, through `node --import`) registers its task kinds here.
 */
export const serviceExtensions: ((svc: Services) => void)[] = [];

/** Opens the database (migrating it), runs fn as the machine's administrator, closes. */
export async function withServices<T>(
  opts: GlobalOptions,
  fn: (svc: Services, ctx: Ctx) => Promise<T>,
): Promise<T> {
  const settings = await settingsFrom(opts);
  const { createServices, migrateToLatest, openDatabase, systemActor } = await server();
  const { default: pino } = await import("pino");
  const db = openDatabase(settings);
  let svc: Services | undefined;
  try {
    await migrateToLatest(db);
    const log = pino({ level: "warn" }, pino.destination(2));
    svc = await createServices(settings, db, log);
    for (const extend of serviceExtensions) extend(svc);
    const ctx: Ctx = {
      actor: systemActor(`cli:${userInfo().username}`),
      grants: [],
      ip: null,
      requestId: `cli-${randomUUID()}`,
    };
    return await fn(svc, ctx);
  } finally {
    await svc?.engine.stop();
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
  const keys = (issue as { keys?: string[] } | undefined)?.keys;
  const message = keys ? `unknown field(s) ${keys.join(", ")}` : (issue?.message ?? "invalid");
  throw new UsageError(`${names[field] ?? names[top] ?? `--${top}`}: ${message}`);
}

/** --limit and --cursor, validated like the API's page query before anything runs. */
export function pageOptions(o: { limit?: string; cursor?: string }): {
  limit: number;
  cursor?: string;
} {
  return parse(z.strictObject(pageQuery), { limit: o.limit, cursor: o.cursor });
}

/** An account's id from its id or slug (refused, exit 1, when there is none). */
export const accountIdOf = async (svc: Services, ctx: Ctx, ref: string | undefined) =>
  ref === undefined ? undefined : (await svc.accounts.get(ctx, ref)).id;

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
