// `steward app …`: apps in containers (quick services from an image). Input passes the
// API's own schemas; secret variables come from a file (KEY=value lines), never from
// arguments (which show in the process list).
import { readFileSync } from "node:fs";
import { v } from "@steward/contracts";
import { type App, appCreate } from "@steward/contracts/apps";
import type { Command } from "commander";
import { z } from "zod";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { appCatalogCommand, appComposeCommand, createCompose } from "./apps-compose.ts";

const COLUMNS = ["id", "name", "status", "image", "ports", "nodeId", "lastError"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
export const nodeRef = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be a node id or name");
const rowOf = (a: App) => ({
  ...a,
  ports: a.ports.map((p) => `${p.host ?? "?"}->${p.container}/${p.protocol}`).join(", "),
});
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** KEY=value (the value may hold '='); a flag's items keep their position for the errors. */
function pairs(items: string[], flag: string, secret: boolean) {
  return items.map((item) => {
    const at = item.indexOf("=");
    if (at < 1)
      throw new UsageError(`${flag}: must be KEY=value (got ${JSON.stringify(item.slice(0, 40))})`);
    return { key: item.slice(0, at), value: item.slice(at + 1), secret };
  });
}

/** an argv given as a JSON array of strings (no shell ever splits it) */
function argvOf(json: string | undefined, flag: string): unknown {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    throw new UsageError(`${flag}: must be a JSON array of strings, like '["wget","-q","URL"]'`);
  }
}

/** 8080, 8080:18080 or 53/udp, 53:1053/udp */
function portOf(item: string) {
  const m = /^(\d{1,6})(?::(\d{1,6}))?(?:\/(tcp|udp))?$/.exec(item);
  if (!m)
    throw new UsageError(
      `--port: must be CONTAINER[:HOST][/tcp|udp] (got ${JSON.stringify(item.slice(0, 40))})`,
    );
  return {
    container: Number(m[1]),
    ...(m[2] ? { host: Number(m[2]) } : {}),
    protocol: (m[3] ?? "tcp") as "tcp" | "udp",
  };
}

/** SOURCE:TARGET[:ro], SOURCE a directory of the app's own directory on the node */
function volumeOf(item: string) {
  const [source = "", target = "", mode, ...rest] = item.split(":");
  if (rest.length || (mode !== undefined && mode !== "ro"))
    throw new UsageError(
      `--volume: must be SOURCE:TARGET[:ro] (got ${JSON.stringify(item.slice(0, 40))})`,
    );
  return { source, target, readOnly: mode === "ro" };
}

export function appCommands(program: Command, g: () => GlobalOptions) {
  const app = program.command("app");
  app
    .command("create")
    .description(
      "creates an app on a node and deploys it (a task): a quick service from --image, a compose stack from --compose FILE, or a one-click app --from the catalog",
    )
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--node <node>", "id or name")
    .option("--image <image>", "name:tag or name@sha256:<digest>, already on the node or pullable")
    .option("--compose <file>", "a compose file (its variables from --env and --secret-env-file)")
    .option("--from <catalog-id>", "a one-click app of `steward app catalog`")
    .option("--name <name>", "default: the image's (excalidraw/excalidraw -> excalidraw)")
    .option("--env <KEY=value>", "an environment variable (repeat)", collect, [])
    .option("--secret-env-file <file>", "KEY=value lines: variables sealed, never shown again")
    .option(
      "--port <port>",
      "CONTAINER[:HOST][/udp]; without HOST a free one is chosen (repeat)",
      collect,
      [],
    )
    .option(
      "--volume <volume>",
      "SOURCE:TARGET[:ro], SOURCE in the app's directory (repeat)",
      collect,
      [],
    )
    .option("--restart <policy>", "no, always, unless-stopped (default) or on-failure")
    .option("--memory <mb>", "memory limit in MiB")
    .option("--cpus <n>", "CPU limit, like 0.5")
    .option(
      "--health-cmd <json>",
      'the health check, an argv run in the container: \'["wget","-q","http://127.0.0.1/"]\'',
    )
    .option("--cmd <json>", "the command instead of the image's, an argv as a JSON array")
    .action(async (o) => {
      const secretLines = o.secretEnvFile
        ? readFileSync(o.secretEnvFile, "utf8")
            .split("\n")
            .filter((l) => l.trim() && !l.startsWith("#"))
        : [];
      const env = [
        ...pairs(o.env, "--env", false),
        ...pairs(secretLines, "--secret-env-file", true),
      ];
      if (o.compose !== undefined || o.from !== undefined) {
        if (o.image !== undefined)
          throw new UsageError("--image: give --image, --compose or --from, not several");
        return createCompose(g(), o, env);
      }
      if (o.image === undefined)
        throw new UsageError("--image: give an image, --compose FILE or --from <catalog-id>");
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const node = (await svc.nodes.get(ctx, parse(nodeRef, o.node, { input: "--node" }))).id;
        const input = parse(
          appCreate,
          {
            account,
            node,
            image: o.image,
            name: o.name,
            env,
            ports: o.port.map(portOf),
            volumes: o.volume.map(volumeOf),
            restart: o.restart,
            limits: {
              ...(o.memory !== undefined ? { memoryMb: Number(o.memory) } : {}),
              ...(o.cpus !== undefined ? { cpus: Number(o.cpus) } : {}),
            },
            command: argvOf(o.cmd, "--cmd"),
            healthCheck: o.healthCmd ? { command: argvOf(o.healthCmd, "--health-cmd") } : undefined,
          },
          {
            account: "--account",
            image: "--image",
            name: "--name",
            env: o.secretEnvFile ? "--env/--secret-env-file" : "--env",
            ports: "--port",
            volumes: "--volume",
            restart: "--restart",
            limits: "--memory/--cpus",
            command: "--cmd",
            healthCheck: "--health-cmd",
          },
        );
        const created = await svc.apps.create(ctx, input);
        if (g().json) return print(g(), created);
        process.stdout.write(
          `app ${created.name} (${created.id})\ntask ${created.taskId} deploys it\n`,
        );
      });
    });
  appCatalogCommand(app, g);
  appComposeCommand(app, g);
  app
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const items = await svc.apps.list(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(rowOf) }, COLUMNS);
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
