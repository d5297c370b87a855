// `steward app …`: apps in containers (quick services from an image, apps built from a git
// repository, compose stacks): list, show, deploy, start/stop/restart, remove, logs, stats;
// create is apps-create.ts.
import { v } from "@steward/contracts";
import { type App, appListQuery } from "@steward/contracts/apps";
import type { Command } from "commander";
import { z } from "zod";
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
import { appGitCommands } from "./app-git.ts";
import { appCatalogCommand, appComposeCommand } from "./apps-compose.ts";
import { appCreateCommand } from "./apps-create.ts";
import { listCommand } from "./shapes.ts";

const COLUMNS = ["id", "name", "status", "image", "ports", "nodeId", "lastError"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
export const nodeRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be a node id or name");
const rowOf = (a: App) => ({
  ...a,
  ports: a.ports.map((p) => `${p.host ?? "?"}->${p.container}/${p.protocol}`).join(", "),
});
export function appCommands(program: Command, g: () => GlobalOptions) {
  const app = program.command("app");
  appCreateCommand(app, g);
  appGitCommands(app, g);
  appCatalogCommand(app, g);
  appComposeCommand(app, g);
  listCommand(app, [
    ["--account <account>", "id or slug"],
    ["--node <node>", "id or name"],
    ["--status <status>", "deploying, running, stopped or failed"],
    ["--source <source>", "image, git or compose"],
    ["--search <text>", "part of its name"],
  ]).action(async (o) => {
    const f = parse(
      appListQuery,
      { account: o.account, node: o.node, status: o.status, source: o.source, q: o.search },
      { q: "--search" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const node = await nodeIdOf(svc, ctx, f.node);
      const account = await accountIdOf(svc, ctx, f.account);
      const apps = await svc.apps.list(ctx, { ...f, node, account, ...page });
      if (g().json) return print(g(), apps);
      print(g(), { items: apps.items.map(rowOf), nextCursor: apps.nextCursor }, COLUMNS);
    });
  });
  app
    .command("show")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => print(g(), await svc.apps.get(ctx, ref)));
    });
  app
    .command("deploy")
    .description("deploys the app again (its container replaced, its volumes kept)")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.apps.deploy(ctx, ref);
        if (g().json) return print(g(), out);
        process.stdout.write(`task ${out.taskId} deploys app ${out.name}\n`);
      });
    });
  for (const verb of ["start", "stop", "restart"] as const)
    app
      .command(verb)
      .description(verb === "stop" ? "stops the app (its containers stay)" : `${verb}s the app`)
      .argument("<id>")
      .action(async (id) => {
        const ref = idArg(id);
        await withServices(g(), async (svc, ctx) => {
          const out = await svc.apps.act(ctx, ref, verb);
          if (g().json) return print(g(), out);
          process.stdout.write(`app ${out.name}: ${out.status}\n`);
        });
      });
  app
    .command("remove")
    .description("removes the app and its containers (--volumes: its volumes too)")
    .argument("<id>")
    .option("--volumes", "also remove the app's volumes (its directories on the node)")
    .option("--yes", "do it (without it, only says what would be removed)")
    .action(async (id, o) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const shown = await svc.apps.get(ctx, ref);
        if (!o.yes) {
          const volumes =
            (shown.compose?.volumes ?? shown.volumes.map((x) => x.source)).join(", ") || "none";
          throw new UsageError(
            `--yes: removing app ${shown.name} ${o.volumes ? `deletes its volumes (${volumes})` : `keeps its volumes (${volumes})`}; add --yes`,
          );
        }
        const out = await svc.apps.remove(ctx, ref, Boolean(o.volumes));
        if (g().json) return print(g(), out);
        process.stdout.write(
          `app ${shown.name} removed${out.volumesRemoved.length ? `, with ${out.volumesRemoved.join(", ")}` : ""}\n`,
        );
      });
    });
  app
    .command("logs")
    .description("the last lines of the app's containers")
    .argument("<id>")
    .option("--tail <n>", "how many lines", "200")
    .option("--filter <text>", "only lines containing it")
    .action(async (id, o) => {
      const ref = idArg(id);
      const tail = parse(z.coerce.number().int().min(1).max(5000), o.tail, { input: "--tail" });
      const filter =
        o.filter === undefined ? undefined : parse(v.text(200), o.filter, { input: "--filter" });
      await withServices(g(), async (svc, ctx) => {
        const lines = await svc.appObserver.logs(ctx, ref, { tail, filter });
        if (g().json) return print(g(), { lines });
        for (const l of lines) process.stdout.write(`${l.container} ${l.at} ${l.text}\n`);
      });
    });
  app
    .command("stats")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.appObserver.stats(ctx, ref)),
      );
    });
}
