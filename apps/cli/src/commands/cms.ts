// `steward cms …`: the CMS site fleet (issue 17, docs/cms.md): WordPress sites reached through
// the Steward connector. The application password is read from standard input (piped, or
// typed without echo), never from an argument; input passes the API's own schemas.
import { type CmsSite, cmsSiteCreate, cmsUpdateRequest, v } from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";
import { bulkUpdate } from "./cms-bulk.ts";
import { cmsLinkCommand, siteIdOf } from "./cms-link.ts";
import { cmsToolCommands } from "./cms-tools.ts";
import { cmsUpdateCommands, collect } from "./cms-updates.ts";

const COLUMNS = ["id", "name", "url", "core", "updates", "connection", "refreshed"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const rowOf = (s: CmsSite) => ({
  id: s.id,
  name: s.name,
  url: s.url,
  core: s.coreVersion,
  updates: s.updatesAvailable,
  connection: s.diagnosis ? (s.diagnosis.ok ? "ok" : s.diagnosis.problems[0]?.code) : null,
  refreshed: s.refreshedAt,
});

/** The diagnosis in words: each problem, its fix and where the docs explain it. */
function printDiagnosis(d: NonNullable<CmsSite["diagnosis"]>) {
  if (d.problems.length === 0) process.stdout.write("connection: ok\n");
  for (const p of d.problems)
    process.stdout.write(
      `${p.severity} ${p.code}: ${p.message}\n  fix: ${p.fix}\n  see: ${p.docs}\n`,
    );
}

/** The service's refusal of an input field, named as the option that carried it. */
export async function asOptions<T>(work: Promise<T>, names: Record<string, string>): Promise<T> {
  const { AppError } = await import("@steward/server/admin");
  return work.catch((e: unknown) => {
    const field = e instanceof AppError ? e.details?.[0]?.field : undefined;
    const option = field ? names[field] : undefined;
    if (e instanceof AppError && option)
      throw new UsageError(`${option}: ${e.message.replace(/^[^:]*: /, "")}`);
    throw e;
  });
}

export function cmsCommands(program: Command, g: () => GlobalOptions) {
  const cms = program.command("cms").description("the CMS site fleet (WordPress, Joomla)");
  cmsToolCommands(cms, g);
  cms
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const items = await svc.cms.list(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(rowOf) }, COLUMNS);
      });
    });
  cms
    .command("add")
    .description(
      "adds a WordPress site (the application password read from standard input) or a Joomla site (--kind joomla: the API token) and diagnoses its connection",
    )
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--name <name>", "a name for it in the account")
    .requiredOption("--url <url>", "the site's address, e.g. https://blog.example.com")
    .requiredOption("--user <user>", "the WordPress user the application password belongs to")
    .option("--timezone <zone>", "the site's time zone (default UTC)")
    .option("--kind <kind>", "wordpress (default) or joomla")
    .option("--site <site>", "the Steward site hosting it: its id or a name (with --backup-plan)")
    .option("--backup-plan <plan>", "the backup plan of that site's files and database")
    .action(async (o) => {
      const joomla = o.kind === "joomla";
      const password = await readSecret(
        undefined,
        joomla ? "Joomla API token: " : "Application password: ",
      );
      await withServices(g(), async (svc, ctx) => {
        const account = (await accountIdOf(svc, ctx, o.account)) ?? o.account;
        const names = {
          account: "--account",
          name: "--name",
          url: "--url",
          username: "--user",
          applicationPassword: "<stdin>",
          apiToken: "<stdin>",
          kind: "--kind",
          timezone: "--timezone",
          site: "--site",
          backupPlan: "--backup-plan",
        };
        const input = parse(
          cmsSiteCreate,
          {
            account,
            name: o.name,
            url: o.url,
            username: o.user,
            kind: o.kind,
            ...(joomla ? { apiToken: password } : { applicationPassword: password }),
            timezone: o.timezone,
            site: await siteIdOf(svc, ctx, o.site),
            backupPlan: o.backupPlan,
          },
          names,
        );
        const added = await asOptions(svc.cms.create(ctx, input), names);
        if (g().json) return print(g(), added);
        process.stdout.write(`CMS site ${added.id} (${added.name}) added\n`);
        if (added.diagnosis) printDiagnosis(added.diagnosis);
      });
    });
  cms
    .command("show")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const site = await svc.cms.get(ctx, ref);
        if (g().json) return print(g(), site);
        print(g(), {
          ...rowOf(site),
          timezone: site.timezone,
          error: site.refreshError,
          hostedOn: site.hosted?.site ?? null,
          backupPlan: site.hosted?.backupPlan ?? null,
        });
        if (site.info)
          print(g(), { items: site.info.extensions }, [
            "type",
            "slug",
            "version",
            "active",
            "update",
          ]);
        if (site.diagnosis) printDiagnosis(site.diagnosis);
      });
    });
  cms
    .command("diagnose")
    .description("diagnoses the connection: each problem with its fix and a docs link")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const diagnosis = await svc.cms.diagnose(ctx, ref);
        if (g().json) return print(g(), diagnosis);
        printDiagnosis(diagnosis);
        if (!diagnosis.ok) process.exitCode = 1;
      });
    });
  cms
    .command("refresh")
    .description("refreshes the site's versions and offers (a cms.refresh task)")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const started = await svc.cms.refresh(ctx, ref);
        if (g().json) return print(g(), started);
        process.stdout.write(`refresh task ${started.taskId} queued\n`);
      });
    });
  cms
    .command("updates")
    .description("the updates offered at the last refresh")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const offers = await svc.cms.updates(ctx, ref);
        if (g().json) return print(g(), offers);
        print(g(), offers, ["type", "slug", "name", "from", "to"]);
      });
    });
  cms
    .command("update")
    .description(
      "applies an update through the site's run-once, high-priority upgrade task (restore point, check, rollback); --bulk: the account's sites as their policies allow",
    )
    .argument("[id]")
    .option("--core", "WordPress (or Joomla) itself")
    .option("--plugin <plugin>", "a plugin, as folder/file.php")
    .option("--theme <theme>", "a theme, as its folder")
    .option("--extension <slug>", "a Joomla extension, as com_x, plg_folder_x, …")
    .option("--bulk", "every site of --account (or each --site) that has updates")
    .option("--account <account>", "with --bulk: id or slug")
    .option("--site <id>", "with --bulk: only this site (repeatable)", collect)
    .option("--all", "with --bulk: every offer, not only what the policies apply on their own")
    .option("--now", "with --bulk: start now (still 2 minutes apart), not in each site's window")
    .option("--preview", "with --bulk: show what would run when, change nothing")
    .action(async (id, o) => {
      if (o.bulk) {
        if (id || o.core || o.plugin || o.theme || o.extension)
          throw new UsageError("--bulk: takes no <id>, --core, --plugin, --theme or --extension");
        return bulkUpdate(g(), o);
      }
      if (!id) throw new UsageError("<id>: name the site (or use --bulk --account A)");
      const ref = idArg(id);
      const chosen = [
        o.core && "core",
        o.plugin && "plugin",
        o.theme && "theme",
        o.extension && "extension",
      ].filter(Boolean);
      if (chosen.length !== 1)
        throw new UsageError("--core, --plugin, --theme or --extension: name exactly one update");
      const flag = o.plugin ? "--plugin" : o.extension ? "--extension" : "--theme";
      const request = parse(
        cmsUpdateRequest,
        { type: chosen[0], slug: o.plugin ?? o.theme ?? o.extension },
        { type: "--core", slug: flag },
      );
      await withServices(g(), async (svc, ctx) => {
        const started = await asOptions(svc.cms.update(ctx, ref, request), { slug: flag });
        if (g().json) return print(g(), started);
        process.stdout.write(`upgrade task ${started.taskId} queued\n`);
      });
    });
  cms
    .command("remove")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.cms.remove(ctx, ref);
        if (g().json) return print(g(), { removed: ref });
        process.stdout.write(`CMS site ${ref} removed\n`);
      });
    });
  cmsLinkCommand(cms, g);
  cmsUpdateCommands(cms, g);
}
