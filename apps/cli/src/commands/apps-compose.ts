// `steward app create --compose FILE | --from <catalog-id>`, `steward app catalog` and
// `steward node compose-allow <node>`: compose stacks, one-click apps and what compose files
// may ask of a node (docs/apps.md). The file is read here and checked by the panel; a refused
// key is a usage error naming --compose (or --from) and the key.
import { v } from "@steward/contracts";
import {
  appComposeCreate,
  appComposeUpdate,
  composeAllowancesUpdate,
} from "@steward/contracts/apps";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  parse,
  readOption,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";
import { nodeRef } from "./apps.ts";

interface ComposeOptions {
  account: string;
  node: string;
  name?: string;
  compose?: string;
  from?: string;
  secretEnvFile?: string;
  domain?: string;
  ingressService?: string;
}

export async function createCompose(
  g: GlobalOptions,
  o: ComposeOptions,
  env: { key: string; value: string; secret: boolean }[],
) {
  if (o.compose !== undefined && o.from !== undefined)
    throw new UsageError("--compose: give either --compose FILE or --from <catalog-id>");
  const flag = o.compose !== undefined ? "--compose" : "--from";
  const compose = readOption("--compose", o.compose);
  await withServices(g, async (svc, ctx) => {
    const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
    const node = (await svc.nodes.get(ctx, parse(nodeRef, o.node, { input: "--node" }))).id;
    const input = parse(
      appComposeCreate,
      {
        account,
        node,
        name: o.name,
        compose,
        catalog: o.from,
        env,
        domain: o.domain,
        ingressService: o.ingressService,
      },
      {
        account: "--account",
        name: "--name",
        compose: "--compose",
        catalog: "--from",
        domain: "--domain",
        ingressService: "--ingress-service",
        env: o.secretEnvFile ? "--env/--secret-env-file" : "--env",
      },
    );
    const created = await svc.appCompose.create(ctx, input).catch((e: unknown) => {
      const code = (e as { code?: unknown }).code;
      if (code === "VALIDATION_FAILED" && e instanceof Error) {
        const detail = (e as { details?: { field: string; message: string }[] }).details?.[0];
        const named = { domain: "--domain", ingressService: "--ingress-service" }[
          detail?.field ?? ""
        ];
        throw new UsageError(named ? `${named}: ${detail?.message}` : `${flag}: ${e.message}`);
      }
      throw e;
    });
    if (g.json) return print(g, created);
    const services = created.compose?.services.map((s) => s.name).join(", ") ?? "";
    process.stdout.write(
      `app ${created.name} (${created.id}): ${services}\ntask ${created.taskId} deploys it\n`,
    );
  });
}

/** `steward app compose <id> --compose FILE`: a stack's new file, deployed at once. */
export function appComposeCommand(app: Command, g: () => GlobalOptions) {
  app
    .command("compose")
    .description("gives a compose app a new file (its variables kept) and deploys it (a task)")
    .argument("<id>")
    .requiredOption("--compose <file>", "the new compose file")
    .action(async (id: string, o: { compose: string }) => {
      const ref = parse(v.id, id, { input: "<id>" });
      const { compose } = parse(
        appComposeUpdate,
        { compose: readOption("--compose", o.compose) },
        { compose: "--compose" },
      );
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.appCompose.update(ctx, ref, compose).catch((e: unknown) => {
          if ((e as { code?: unknown }).code === "VALIDATION_FAILED" && e instanceof Error)
            throw new UsageError(`--compose: ${e.message}`);
          throw e;
        });
        if (g().json) return print(g(), out);
        process.stdout.write(`task ${out.taskId} deploys app ${out.name}\n`);
      });
    });
}

export function appCatalogCommand(app: Command, g: () => GlobalOptions) {
  app
    .command("catalog")
    .description("the one-click apps: compose templates for `app create --from <id>`")
    .action(async () => {
      await withServices(g(), async (svc) => {
        const { items } = svc.appCompose.catalog();
        if (g().json) return print(g(), { items });
        print(
          g(),
          {
            items: items.map((i) => ({
              id: i.id,
              name: i.name,
              services: i.services.map((s) => s.name).join(", "),
              generated: i.env
                .filter((e) => e.generated)
                .map((e) => e.key)
                .join(", "),
            })),
          },
          ["id", "name", "services", "generated"],
        );
      });
    });
}

export function nodeComposeCommand(node: Command, g: () => GlobalOptions) {
  node
    .command("compose-allow")
    .description(
      "what compose files may ask of the node beyond an app's sandbox (super users); --set changes it",
    )
    .argument("<node>", "id or name")
    .option(
      "--set <list>",
      "comma-separated: privileged, host-network, host-pid, host-ipc, host-userns, devices, cap-add, security-unconfined, host-paths ('' for none)",
    )
    .action(async (ref, o: { set?: string }) => {
      const body =
        o.set === undefined
          ? undefined
          : parse(
              composeAllowancesUpdate,
              {
                allow: o.set
                  .split(",")
                  .map((x) => x.trim())
                  .filter(Boolean),
              },
              { allow: "--set" },
            );
      await withServices(g(), async (svc, ctx) => {
        const id = (await svc.nodes.get(ctx, parse(nodeRef, ref, { input: "<node>" }))).id;
        const out = body
          ? await svc.appCompose.setAllowances(ctx, id, body.allow)
          : await svc.appCompose.allowances(ctx, id);
        if (g().json) return print(g(), out);
        process.stdout.write(`${out.allow.join(", ") || "nothing beyond the sandbox"}\n`);
      });
    });
}
