// `steward site protect …` and `steward site php …`: a site's directory protection (HTTP basic
// auth per path) and its PHP settings. Passwords come from standard input, one line per --user
// in order, never from an option (options show in `ps`). Input passes the API's schemas.
import { sitePhpInput, siteProtectionInput, v } from "@steward/contracts";
import { isPhpFlag, PHP_FLAGS, PHP_VALUES } from "@steward/contracts/agent";
import { AppError } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { collect } from "./site-options.ts";

const siteArg = (value: string) => parse(v.id, value, { input: "<id>" });

const PROTECT_NAMES: Record<string, string> = {
  paths: "--path",
  "paths.path": "--path",
  "paths.users": "--user",
  "paths.users.name": "--user",
  "paths.users.password": "<stdin>",
};

/** The service's refusal of a field as the refusal of the option that gave it (exit 2). */
async function asUsage<T>(names: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== "VALIDATION_FAILED") throw e;
    const field = e.details?.[0]?.field ?? "";
    const key = field.replace(/\.\d+/g, "");
    const option = names[field] ?? names[key];
    throw option ? new UsageError(`${option}: ${e.details?.[0]?.message}`) : e;
  }
}

/** Standard input's lines (the passwords), none when it is a terminal or empty. */
async function stdinLines(): Promise<string[]> {
  if (process.stdin.isTTY) return [];
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? text.replace(/\r?\n$/, "").split(/\r?\n/) : [];
}

/** A --set key=value as the API takes it: flags on/off, numbers as numbers, sizes as text. */
function settingOf(pair: string): [string, unknown] {
  const at = pair.indexOf("=");
  if (at < 1) throw new UsageError(`--set: ${JSON.stringify(pair)} is not key=value`);
  const key = pair.slice(0, at);
  const value = pair.slice(at + 1);
  if (isPhpFlag(key)) {
    const on = ["on", "true", "1", "yes"].includes(value);
    const off = ["off", "false", "0", "no"].includes(value);
    return [key, on ? true : off ? false : value];
  }
  const numeric = key in PHP_VALUES && /^-?[0-9]+$/.test(value) && !/[KMG]$/.test(value);
  return [key, numeric ? Number(value) : value];
}

export function siteSettingsCommands(site: Command, g: () => GlobalOptions) {
  site
    .command("protect")
    .description(
      "shows a site's protected paths, or protects one with HTTP basic auth (passwords from standard input, one line per --user)",
    )
    .argument("<id>")
    .option("--path <path>", "a path prefix inside the site, e.g. /admin")
    .option(
      "--user <name>",
      "a user of the path; repeatable (a user given no password keeps theirs)",
      collect,
    )
    .option("--remove", "removes the path's protection")
    .action(async (id, o: { path?: string; user?: string[]; remove?: boolean }) => {
      const ref = siteArg(id);
      if (!o.path && (o.user || o.remove)) throw new UsageError("--path: give the path to protect");
      if (o.path && !o.remove && !o.user) throw new UsageError("--user: give at least one user");
      const passwords = o.path && !o.remove ? await stdinLines() : [];
      await withServices(g(), async (svc, ctx) => {
        const now = await svc.sites.protection(ctx, ref);
        if (!o.path) {
          if (g().json) return print(g(), now);
          const rows = now.paths.map((p) => ({ path: p.path, users: p.users.join(", ") }));
          return print(g(), { items: rows }, ["path", "users"]);
        }
        const kept = now.paths
          .filter((p) => p.path !== o.path)
          .map((p) => ({ path: p.path, users: p.users.map((name) => ({ name })) }));
        const users = (o.user ?? []).map((name, i) =>
          passwords[i] ? { name, password: passwords[i] } : { name },
        );
        const input = parse(
          siteProtectionInput,
          { paths: o.remove ? kept : [...kept, { path: o.path, users }] },
          PROTECT_NAMES,
        );
        const out = await asUsage(PROTECT_NAMES, () => svc.sites.setProtection(ctx, ref, input));
        if (g().json) return print(g(), out);
        process.stdout.write(
          `${o.remove ? `${o.path} is open again` : `${o.path} asks for a user`}: task ${out.taskId} applies it\n`,
        );
      });
    });

  const known = [...Object.keys(PHP_VALUES), ...Object.keys(PHP_FLAGS)].join(", ");
  site
    .command("php")
    .description(`shows or changes a PHP site's php.ini values (${known})`)
    .argument("<id>")
    .option("--set <key=value>", "a php.ini value, e.g. memory_limit=256M; repeatable", collect)
    .option("--unset <key>", "back to the default; repeatable", collect)
    .action(async (id, o: { set?: string[]; unset?: string[] }) => {
      const ref = siteArg(id);
      const changes = (o.set ?? []).map(settingOf);
      const names: Record<string, string> = { settings: "--set", kind: "<id>" };
      for (const [key] of changes) names[`settings.${key}`] = `--set ${key}`;
      await withServices(g(), async (svc, ctx) => {
        const now = await svc.sites.php(ctx, ref);
        if (!o.set && !o.unset) {
          if (g().json) return print(g(), now);
          const rows = Object.entries(now.settings).map(([key, value]) => ({ key, value }));
          return print(g(), { items: rows }, ["key", "value"]);
        }
        const settings: Record<string, unknown> = {
          ...now.settings,
          ...Object.fromEntries(changes),
        };
        for (const key of o.unset ?? []) delete settings[key];
        const input = parse(sitePhpInput, { settings }, names);
        const out = await asUsage(names, () => svc.sites.setPhp(ctx, ref, input));
        if (g().json) return print(g(), out);
        process.stdout.write(`PHP settings changed: task ${out.taskId} applies them\n`);
      });
    });
}
