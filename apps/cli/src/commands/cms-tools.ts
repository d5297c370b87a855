// `steward cms extensions|unblock|scan|scans|temp-admin|backup|backups …`: the fleet's
// extensions and the tools on a site (docs/cms.md#tools). Input passes the API's own
// schemas; a refusal names its option.
import {
  cmsBackupRequest,
  cmsExtensionListQuery,
  cmsTemporaryAdminRequest,
  cmsUnblockRequest,
  v,
} from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";

const idArg = (value: string) => parse(v.id, value, { input: "<id>" });

export function cmsToolCommands(cms: Command, g: () => GlobalOptions) {
  cms
    .command("extensions")
    .description(
      "the fleet's extensions and cores: which sites run one (--slug), what is outdated or abandoned",
    )
    .option("--account <account>", "id or slug")
    .option(
      "--slug <slug>",
      "an extension (folder/file.php, a theme, com_x…) or a core (wordpress, joomla)",
    )
    .option("--outdated", "only what has an update offered")
    .option("--abandoned", "only WordPress plugins with no release on wordpress.org for long")
    .option("--limit <n>", "at most this many (default 50)")
    .option("--cursor <cursor>", "the page after this one")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account =
          o.account === undefined
            ? undefined
            : ((await accountIdOf(svc, ctx, o.account)) ?? o.account);
        const query = parse(
          cmsExtensionListQuery,
          {
            account,
            slug: o.slug,
            outdated: o.outdated ? "true" : undefined,
            abandoned: o.abandoned ? "true" : undefined,
            limit: o.limit,
            cursor: o.cursor,
          },
          { account: "--account", slug: "--slug", limit: "--limit", cursor: "--cursor" },
        );
        const got = await svc.cms.fleet.extensions(ctx, query);
        if (g().json) return print(g(), got);
        print(g(), got, ["siteName", "type", "slug", "version", "update", "siteUrl"]);
      });
    });
  cms
    .command("unblock")
    .description(
      "unblocks an IP address (Admin Tools on Joomla, the connector's login lockout on WordPress)",
    )
    .argument("<id>")
    .requiredOption("--ip <address>", "the IPv4 or IPv6 address")
    .action(async (id, o) => {
      const ref = idArg(id);
      const { ip } = parse(cmsUnblockRequest, { ip: o.ip }, { ip: "--ip" });
      await withServices(g(), async (svc, ctx) => {
        await svc.cms.tools.unblock(ctx, ref, ip);
        if (g().json) return print(g(), { unblocked: ip });
        process.stdout.write(`${ip} unblocked\n`);
      });
    });
  cms
    .command("scan")
    .description("runs the PHP file change scanner (a cms.scan task)")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const started = await svc.cms.tools.scan(ctx, ref);
        if (g().json) return print(g(), started);
        process.stdout.write(`scan task ${started.taskId} queued\n`);
      });
    });
  cms
    .command("scans")
    .description("the file change scanner's scans, newest first")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const scans = await svc.cms.tools.scans(ctx, ref, 0);
        print(g(), scans, ["id", "startedAt", "status", "filesNew", "filesModified", "totalFiles"]);
      });
    });
  cms
    .command("temp-admin")
    .description(
      "creates a temporary Super User (Joomla) or administrator (WordPress); its password is printed once",
    )
    .argument("<id>")
    .requiredOption("--expires <time>", "when it expires (ISO-8601, at most 7 days ahead)")
    .action(async (id, o) => {
      const ref = idArg(id);
      const { expiresAt } = parse(
        cmsTemporaryAdminRequest,
        { expiresAt: o.expires },
        { expiresAt: "--expires" },
      );
      await withServices(g(), async (svc, ctx) => {
        print(g(), await svc.cms.tools.temporaryAdmin(ctx, ref, expiresAt));
      });
    });
  cms
    .command("backup")
    .description("takes an Akeeba Backup (a cms.backup task)")
    .argument("<id>")
    .option("--profile <n>", "the backup profile (default 1)")
    .option("--description <text>", "the backup's description")
    .action(async (id, o) => {
      const ref = idArg(id);
      const profile =
        o.profile === undefined
          ? undefined
          : /^\d+$/.test(o.profile)
            ? Number(o.profile)
            : o.profile;
      const request = parse(
        cmsBackupRequest,
        { profile, description: o.description },
        { profile: "--profile", description: "--description" },
      );
      await withServices(g(), async (svc, ctx) => {
        const started = await svc.cms.tools.takeBackup(ctx, ref, request);
        if (g().json) return print(g(), started);
        process.stdout.write(`backup task ${started.taskId} queued\n`);
      });
    });
  cms
    .command("backups")
    .description("Akeeba Backup's profiles and records")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const got = await svc.cms.tools.backups(ctx, ref);
        if (g().json) return print(g(), got);
        print(g(), { items: got.records }, [
          "id",
          "description",
          "status",
          "size",
          "filesExist",
          "startedAt",
        ]);
      });
    });
}
