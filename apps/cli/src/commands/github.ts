// `steward github …`: the installation's GitHub App (its private key read from standard input,
// never an argument), the template catalog and the repositories generated from it (docs/github.md).
// (`steward template` is the notifications' message templates.) Input passes the API's schemas.
import {
  type GithubRepository,
  type GithubTemplate,
  githubAppUpdate,
  githubGenerate,
  githubTemplateCreate,
  githubTemplateUpdate,
  v,
} from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";
import { githubSignInCommands } from "./github-sign-in.ts";

const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const TEMPLATE_COLUMNS = ["id", "repository", "defaultBranch", "description"];
const REPO_COLUMNS = ["id", "repository", "status", "cloneUrl", "error"];
const INSTALLATION_COLUMNS = ["id", "owner", "ownerType", "repositorySelection", "defaultOwner"];
const templateRow = (t: GithubTemplate) => ({ ...t, repository: `${t.owner}/${t.repo}` });
const repoRow = (r: GithubRepository) => ({ ...r, repository: `${r.owner}/${r.name}` });

export function githubCommands(program: Command, g: () => GlobalOptions) {
  const github = program.command("github");
  const app = github.command("app").description("the GitHub App that generates repositories");
  app.command("show").action(async () => {
    await withServices(g(), async (svc, ctx) => print(g(), await svc.github.getApp(ctx)));
  });
  app
    .command("set")
    .description("sets the App's id and private key (PEM, read from standard input)")
    .requiredOption("--app-id <id>", "the App's id (its settings page)")
    .option("--default-owner <login>", "where repositories go when a generation names no owner")
    .action(async (o) => {
      const privateKey = await readSecret(undefined, "the App's private key (PEM): ");
      await withServices(g(), async (svc, ctx) => {
        const input = parse(
          githubAppUpdate,
          { appId: o.appId, privateKey, defaultOwner: o.defaultOwner },
          { appId: "--app-id", privateKey: "<stdin>", defaultOwner: "--default-owner" },
        );
        const set = await svc.github.setApp(ctx, input);
        if (g().json) return print(g(), set);
        process.stdout.write(`GitHub App ${set.appId} set (key ${set.keyFingerprint})\n`);
      });
    });
  app
    .command("test")
    .description("asks GitHub who the App is, signed with the stored key")
    .action(async () => {
      await withServices(g(), async (svc, ctx) => {
        const me = await svc.github.testApp(ctx);
        if (g().json) return print(g(), me);
        process.stdout.write(
          `GitHub knows the App as ${me.slug} (${me.name}), owned by ${me.owner}\n`,
        );
      });
    });
  app
    .command("installations")
    .description("where GitHub has the App installed: each owner and its installation id")
    .action(async () => {
      await withServices(g(), async (svc, ctx) =>
        print(g(), { items: await svc.github.listInstallations(ctx) }, INSTALLATION_COLUMNS),
      );
    });

  githubSignInCommands(github, g);

  const template = github.command("template").description("the catalog of template repositories");
  template
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const items = await svc.github.listTemplates(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(templateRow) }, TEMPLATE_COLUMNS);
      });
    });
  template
    .command("add")
    .description(
      "adds owner/repo for an account once GitHub confirms it is a template the App reaches",
    )
    .argument("<owner/repo>")
    .requiredOption("--account <account>", "id or slug")
    .option("--description <text>")
    .action(async (full: string, o) => {
      const [owner, repo, ...rest] = full.split("/");
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const input = parse(
          githubTemplateCreate,
          { account, owner, repo: rest.length ? full : repo, description: o.description },
          {
            account: "--account",
            owner: "<owner/repo>",
            repo: "<owner/repo>",
            description: "--description",
          },
        );
        const added = await svc.github.createTemplate(ctx, input);
        if (g().json) return print(g(), added);
        process.stdout.write(
          `template ${added.id}: ${added.owner}/${added.repo} (${added.defaultBranch})\n`,
        );
      });
    });
  template
    .command("edit")
    .description("changes a template's description, or its repository (GitHub confirms it again)")
    .argument("<id>")
    .option("--repo <owner/repo>", "another template repository")
    .option("--description <text>")
    .action(async (id, o) => {
      const ref = idArg(id);
      const [owner, repo, ...rest] = typeof o.repo === "string" ? o.repo.split("/") : [];
      const input = parse(
        githubTemplateUpdate,
        {
          owner,
          repo: rest.length ? o.repo : repo,
          description: o.description,
        },
        {
          owner: "--repo",
          repo: "--repo",
          description: "--description",
          input: "--repo or --description",
        },
      );
      await withServices(g(), async (svc, ctx) => {
        const changed = await svc.github.updateTemplate(ctx, ref, input);
        if (g().json) return print(g(), changed);
        process.stdout.write(
          `template ${changed.id}: ${changed.owner}/${changed.repo} (${changed.defaultBranch})\n`,
        );
      });
    });
  template
    .command("remove")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.github.removeTemplate(ctx, ref);
        if (g().json) return print(g(), { removed: ref });
        process.stdout.write(`template ${ref} removed\n`);
      });
    });
  template
    .command("generate")
    .description("generates a repository from the template (a task: follow it with `steward task`)")
    .argument("<id>")
    .requiredOption("--name <name>", "the new repository's name")
    .option(
      "--owner <login>",
      "the user or organization that gets it (default: the App's default owner)",
    )
    .option("--description <text>")
    .option("--public", "a public repository (private by default)")
    .option("--all-branches", "copy every branch of the template, not only its default")
    .action(async (id, o) => {
      const ref = idArg(id);
      const input = parse(
        githubGenerate,
        {
          name: o.name,
          owner: o.owner,
          description: o.description,
          private: o.public !== true,
          includeAllBranches: o.allBranches === true,
        },
        { name: "--name", owner: "--owner", description: "--description" },
      );
      await withServices(g(), async (svc, ctx) => {
        const made = await svc.github.generate(ctx, ref, input);
        if (g().json) return print(g(), made);
        process.stdout.write(
          `generating ${made.owner}/${made.name}: repository ${made.id}, task ${made.taskId}\n`,
        );
      });
    });

  const repo = github.command("repo").description("repositories generated from templates");
  repo
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const items = await svc.github.listRepositories(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(repoRow) }, REPO_COLUMNS);
      });
    });
  repo
    .command("show")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.github.getRepository(ctx, ref)),
      );
    });
}
