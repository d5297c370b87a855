// `steward github sign-in …`: sign in with GitHub (docs/github.md): its OAuth App's client id
// as an option, its client secret read from standard input (or a prompt), never an argument.
// Input passes the API's schema, so a refusal names the option before anything opens.
import { type GithubSignInSettings, githubSignInUpdate } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";

function say(s: GithubSignInSettings) {
  const state = s.enabled ? "on" : "off";
  const id = s.clientId ? `client id ${s.clientId}, secret ${s.secretSet ? "set" : "not set"}` : "";
  return `sign in with GitHub is ${state}${id ? ` (${id})` : ""}\nauthorization callback URL: ${s.callbackUrl}\n`;
}

export function githubSignInCommands(github: Command, g: () => GlobalOptions) {
  const signIn = github
    .command("sign-in")
    .description("sign in with GitHub for users who linked their GitHub account");
  signIn.command("show").action(async () => {
    await withServices(g(), async (svc, ctx) => {
      const now = await svc.githubSignIn.get(ctx);
      if (g().json) return print(g(), now);
      process.stdout.write(say(now));
    });
  });
  signIn
    .command("set")
    .description("turns it on or off with the OAuth App's client id (and a new secret)")
    .requiredOption("--client-id <id>", "the OAuth App's client id (its settings page on GitHub)")
    .option("--enable", "turn sign in with GitHub on")
    .option("--disable", "turn it off (linked accounts stay linked)")
    .option("--secret", "read a new client secret from standard input (required the first time)")
    .action(async (o) => {
      if (Boolean(o.enable) === Boolean(o.disable))
        throw new UsageError("--enable, --disable: give one of them");
      const clientSecret = o.secret
        ? await readSecret(undefined, "the OAuth App's client secret: ")
        : undefined;
      const input = parse(
        githubSignInUpdate,
        { enabled: Boolean(o.enable), clientId: o.clientId, clientSecret },
        { clientId: "--client-id", clientSecret: "--secret (<stdin>)" },
      );
      await withServices(g(), async (svc, ctx) => {
        const set = await svc.githubSignIn.set(ctx, input);
        if (g().json) return print(g(), set);
        process.stdout.write(say(set));
      });
    });
}
