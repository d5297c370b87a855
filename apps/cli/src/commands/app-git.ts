// `steward app create --git URL [--compose-file PATH]`, `steward app webhook show` and `steward app redeploy`: apps
// built from a git repository. The token comes from a file (--token-file), never from an
// argument (the process list shows arguments); the deploy key is made by the panel and only
// its public half is printed, with the webhook's address and secret, once at creation (and
// again by `webhook show` for the app's admins).
import { readFileSync } from "node:fs";
import { v } from "@steward/contracts";
import { type App, appGitCreate } from "@steward/contracts/apps";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

interface GitOptions {
  git: string;
  ref: string;
  dockerfile?: string;
  composeFile?: string;
  ingressService?: string;
  tokenFile?: string;
}

interface Webhook {
  url: string;
  secret: string;
}

function tokenOf(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, "utf8").trim();
  } catch (e) {
    throw new UsageError(
      `--token-file: cannot read ${file} (${(e as NodeJS.ErrnoException).code})`,
    );
  }
}

/** Creates the app from the repository; prints what the user must copy once. */
export async function createFromGit(
  svc: Services,
  ctx: Ctx,
  common: Record<string, unknown>,
  o: GitOptions,
  names: Record<string, string>,
  json: boolean,
): Promise<App & { webhook: Webhook }> {
  const input = parse(
    appGitCreate,
    {
      ...common,
      ingressService: o.ingressService,
      git: {
        url: o.git,
        ref: o.ref,
        dockerfile: o.dockerfile,
        compose: o.composeFile,
        token: tokenOf(o.tokenFile),
      },
    },
    {
      ...names,
      ingressService: "--ingress-service",
      "git.url": "--git",
      "git.ref": "--ref",
      "git.dockerfile": "--dockerfile",
      "git.compose": "--compose-file",
      "git.token": "--token-file",
      git: "--git",
    },
  );
  const created = await svc.gitApps.create(ctx, input);
  if (json) return created;
  process.stderr.write(
    [
      `webhook: ${created.webhook.url}`,
      `webhook secret (content type application/json, push events): ${created.webhook.secret}`,
      ...(created.git?.publicKey
        ? [`deploy key (add it to the repository, read-only): ${created.git.publicKey}`]
        : []),
      "",
    ].join("\n"),
  );
  return created;
}

export function appGitCommands(app: Command, g: () => GlobalOptions) {
  const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
  app
    .command("webhook")
    .description("an app's webhook (apps built from git)")
    .command("show")
    .description("the address to give the repository's host and the secret it signs with")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const hook = await svc.gitApps.webhook(ctx, ref);
        if (g().json) return print(g(), hook);
        process.stdout.write(
          `url: ${hook.url}\nsecret: ${hook.secret}\ncontent type: ${hook.contentType}\nevents: ${hook.events.join(", ")}\n`,
        );
      });
    });
  app
    .command("redeploy")
    .description(
      "builds (git apps) and deploys the app again; with zero downtime when its host ports are chosen by the node",
    )
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const out = await svc.apps.deploy(ctx, ref);
        if (g().json) return print(g(), out);
        process.stdout.write(`task ${out.taskId} redeploys app ${out.name}\n`);
      });
    });
}
