// `steward app create`: an app from an image, a git repository (app-git.ts), a compose file
// or a catalog entry (apps-compose.ts). Input passes the API's own schemas; secret variables
// come from a file (KEY=value lines), never from arguments (which show in the process list).
import { readFileSync } from "node:fs";
import { appCreate } from "@steward/contracts/apps";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { createFromGit } from "./app-git.ts";
import { nodeRef } from "./apps.ts";
import { createCompose } from "./apps-compose.ts";

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

export function appCreateCommand(app: Command, g: () => GlobalOptions) {
  app
    .command("create")
    .description(
      "creates an app on a node and deploys it (a task): a quick service from --image, one built from a --git repository, a compose stack from --compose FILE, or a one-click app --from the catalog",
    )
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--node <node>", "id or name")
    .option("--image <image>", "name:tag or name@sha256:<digest>, already on the node or pullable")
    .option("--git <url>", "instead of --image: a repository built with its Dockerfile")
    .option("--ref <ref>", "--git: the branch, tag or commit", "main")
    .option("--dockerfile <path>", "--git: the Dockerfile's path in the repository (Dockerfile)")
    .option(
      "--compose-file <path>",
      "--git: instead of a Dockerfile, a compose file of the repository (its build: services built)",
    )
    .option("--token-file <file>", "--git over https: a file holding the access token")
    .option("--domain <domain>", "served by a proxy site at this name (the first published port)")
    .option(
      "--ingress-service <service>",
      "--compose/--from/--compose-file with --domain: the service the site proxies to (default: the first publishing a TCP port)",
    )
    .option("--compose <file>", "a compose file (its variables from --env and --secret-env-file)")
    .option("--from <catalog-id>", "a one-click app of `steward app catalog`")
    .option(
      "--name <name>",
      "default: the image's, repository's (acme/shop.git -> shop) or catalog entry's",
    )
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
        if (o.image !== undefined || o.git !== undefined)
          throw new UsageError(
            `${o.image !== undefined ? "--image" : "--git"}: give one of --image, --git, --compose or --from`,
          );
        return createCompose(g(), o, env);
      }
      if (o.composeFile !== undefined && o.git === undefined)
        throw new UsageError("--compose-file: is a file of the --git repository: give --git URL");
      if (o.image === undefined && o.git === undefined)
        throw new UsageError(
          "--image: give an image, --git URL, --compose FILE or --from <catalog-id>",
        );
      if (o.image !== undefined && o.git !== undefined)
        throw new UsageError("--git: give --image or --git (one of them)");
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const node = (await svc.nodes.get(ctx, parse(nodeRef, o.node, { input: "--node" }))).id;
        const common = {
          account,
          node,
          name: o.name,
          domain: o.domain,
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
        };
        const names = {
          account: "--account",
          image: "--image",
          name: "--name",
          domain: "--domain",
          env: o.secretEnvFile ? "--env/--secret-env-file" : "--env",
          ports: "--port",
          volumes: "--volume",
          restart: "--restart",
          limits: "--memory/--cpus",
          command: "--cmd",
          healthCheck: "--health-cmd",
        };
        const created = o.git
          ? await createFromGit(svc, ctx, common, o, names, Boolean(g().json))
          : await svc.apps.create(ctx, parse(appCreate, { ...common, image: o.image }, names));
        if (g().json) return print(g(), created);
        process.stdout.write(
          `app ${created.name} (${created.id})\ntask ${created.taskId} deploys it\n`,
        );
      });
    });
}
