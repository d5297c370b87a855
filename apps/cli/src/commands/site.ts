// `steward site …`: websites on the nodes. Input passes the API's own schemas (siteCreate,
// siteUpdate, siteListQuery), so the CLI refuses what the API refuses, naming the option.

import { siteCreate, siteListQuery, siteSorts, siteUpdate, v } from "@steward/contracts";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { confirm, listCommand, lookup } from "./shapes.ts";
import { byOption, collect, OPTIONS, printChange, rowsOf } from "./site-options.ts";
import { siteSettingsCommands } from "./site-settings.ts";

const COLUMNS = ["id", "domain", "kind", "node", "status", "lastError"];

const siteArg = (value: string) => parse(v.id, value, { input: "<id>" });

export function siteCommands(program: Command, g: () => GlobalOptions) {
  const site = program.command("site");
  siteSettingsCommands(site, g);
  listCommand(
    site,
    [
      ["--node <node>", "id or name"],
      ["--account <account>", "id or slug"],
      ["--status <status>", "pending, active, failed, suspended or deleting"],
      ["--search <text>", "the start of one of its names"],
    ],
    siteSorts,
  ).action(async (o) => {
    const f = parse(
      siteListQuery,
      { node: o.node, account: o.account, status: o.status, q: o.search, sort: o.sort },
      OPTIONS,
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const node = await nodeIdOf(svc, ctx, f.node);
      const account = await accountIdOf(svc, ctx, f.account);
      const sites = await svc.sites.list(ctx, { ...f, node, account, ...page });
      if (g().json) return print(g(), sites);
      print(g(), { items: rowsOf(sites.items), nextCursor: sites.nextCursor }, COLUMNS);
    });
  });
  site
    .command("add")
    .description("adds a site and enqueues the task that applies it to its node")
    .requiredOption("--node <node>", "id or name of an enrolled node")
    .requiredOption(
      "--domain <name>",
      "a name it answers to; repeat for more (the first is the primary name)",
      collect,
    )
    .option("--kind <kind>", "static, php or proxy (default: proxy with --upstream, else static)")
    .option("--alias <name>", "a name redirecting to the primary one; repeatable", collect)
    .option("--redirect <mode>", "none, to-www or to-non-www (default none)")
    .option("--root <path>", "document root inside the site's home (default public)")
    .option("--upstream <url>", "http(s)://host:port, for a proxy site")
    .option("--php-exec", "let a PHP site start processes (exec, shell_exec, proc_open...)")
    .option("--php-version <version>", "a PHP site's PHP-FPM version, one the node has (8.2)")
    .option(
      "--writable-dir <dir>",
      "a directory of the document root its PHP may write (default uploads); repeatable",
      collect,
    )
    .option("--no-monitor", "no HTTP monitor of the primary domain (one is made by default)")
    .option("--account <account>", "id or slug (default: the default account)")
    .action(async (o) => {
      const kind = o.kind ?? (o.upstream === undefined ? "static" : "proxy");
      const input = parse(
        siteCreate,
        {
          node: o.node,
          account: o.account,
          kind,
          domains: o.domain,
          aliases: o.alias,
          redirect: o.redirect,
          root: o.root,
          upstream: o.upstream,
          phpAllowExec: o.phpExec,
          phpVersion: o.phpVersion,
          writableDirs: o.writableDir,
          monitor: o.monitor === false ? false : undefined,
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, input.node);
        const account = await accountIdOf(svc, ctx, input.account);
        const created = await byOption(input, () =>
          svc.sites.create(ctx, { ...input, node, account }),
        );
        printChange(g(), created, "added");
      });
    });
  lookup(site, g, {
    command: ["show", "<id>"],
    ref: siteArg,
    fetch: (svc, ctx, ref) => svc.sites.get(ctx, ref),
  });
  site
    .command("set")
    .description("changes a site and enqueues the task that applies the change")
    .argument("<id>")
    .option("--domain <name>", "the names it answers to, replacing them; repeatable", collect)
    .option("--alias <name>", "the aliases, replacing them; repeatable", collect)
    .option("--no-alias", "no aliases")
    .option("--kind <kind>", "static, php or proxy")
    .option("--redirect <mode>", "none, to-www or to-non-www")
    .option("--root <path>", "document root inside the site's home")
    .option("--upstream <url>", "http(s)://host:port, for a proxy site")
    .option("--no-upstream", "no upstream (when changing a proxy site to static or php)")
    .option("--php-exec", "let a PHP site start processes (exec, shell_exec, proc_open...)")
    .option("--no-php-exec", "PHP may not start processes (the default)")
    .option("--php-version <version>", "the PHP-FPM version (8.2), or default: the node's")
    .option(
      "--writable-dir <dir>",
      "a directory of the document root its PHP may write, replacing the list; repeatable",
      collect,
    )
    .option("--no-writable-dir", "PHP may write none of the site's directories")
    .option("--monitor", "the site's HTTP monitor of its primary domain (made if it has none)")
    .option("--no-monitor", "removes the site's HTTP monitor")
    .action(async (id, o) => {
      const ref = siteArg(id);
      const input = parse(
        siteUpdate,
        {
          kind: o.kind,
          domains: o.domain,
          aliases: o.alias === false ? [] : o.alias,
          redirect: o.redirect,
          root: o.root,
          upstream: o.upstream === false ? null : o.upstream,
          phpAllowExec: o.phpExec,
          phpVersion: o.phpVersion === "default" ? null : o.phpVersion,
          writableDirs: o.writableDir === false ? [] : o.writableDir,
          monitor: o.monitor,
        },
        OPTIONS,
      );
      if (Object.values(input).every((x) => x === undefined))
        throw new UsageError(
          "nothing to change: give --domain, --alias, --kind, --redirect, --root, --upstream, --php-exec, --php-version, --writable-dir or --monitor",
        );
      await withServices(g(), async (svc, ctx) =>
        printChange(g(), await byOption(input, () => svc.sites.update(ctx, ref, input)), "changed"),
      );
    });
  for (const [action, done] of [
    ["suspend", 'suspended: it answers 503 with a "suspended" page'],
    ["resume", "resumed"],
  ] as const) {
    site
      .command(action)
      .description(action === "suspend" ? 'serves a "suspended" page (503)' : "serves it again")
      .argument("<id>")
      .action(async (id) => {
        const ref = siteArg(id);
        await withServices(g(), async (svc, ctx) =>
          printChange(g(), await svc.sites[action](ctx, ref), done),
        );
      });
  }
  site
    .command("migrate-layout")
    .description(
      "moves a site into its account's layout: files in the account's main system user's home, PHP as its CGI user (checked to answer the same, moved back otherwise)",
    )
    .argument("<id>")
    .option("--yes", "confirm")
    .action(async (id, o) => {
      const ref = siteArg(id);
      if (!o.yes)
        throw new UsageError(
          `moving site ${ref} copies its files into its account's home and switches it over; add --yes to confirm`,
        );
      await withServices(g(), async (svc, ctx) =>
        printChange(
          g(),
          await svc.sites.migrateLayout(ctx, ref),
          "is being moved into its account's layout",
        ),
      );
    });
  site
    .command("delete")
    .description("removes the site from its node; its files are kept unless --delete-files")
    .argument("<id>")
    .option("--delete-files", "also delete the site's home directory and logs")
    .option("--yes", "confirm")
    .action(async (id, o) => {
      confirm(o, `site ${id}`);
      const ref = siteArg(id);
      const keepFiles = o.deleteFiles !== true;
      await withServices(g(), async (svc, ctx) =>
        printChange(
          g(),
          await svc.sites.remove(ctx, ref, keepFiles),
          `is being deleted; its files ${keepFiles ? "are kept" : "will be deleted"}`,
        ),
      );
    });
}
