// `steward cms link ID --site S --backup-plan P | --unlink`: a CMS site linked to the Steward
// site hosting it and the backup plan of that site's files and database, whose run is its
// updates' restore point (docs/cms.md#a-steward-hosted-site); a refusal names its option.
import { cmsSitePatch, v } from "@steward/contracts";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { asOptions } from "./cms.ts";

/** A Steward site named by its id or by one of its names (`blog.example.com`). */
export async function siteIdOf(svc: Services, ctx: Ctx, ref: string | undefined) {
  if (ref === undefined || !ref.includes(".")) return ref;
  const name = ref.toLowerCase();
  const page = await svc.sites.list(ctx, { q: name, limit: 20 });
  const found = page.items.find((s) => s.domains.includes(name) || s.aliases.includes(name));
  if (!found) throw new UsageError(`--site: no site named ${ref}`);
  return found.id;
}

export function cmsLinkCommand(cms: Command, g: () => GlobalOptions) {
  cms
    .command("link")
    .description(
      "links a CMS site to the Steward site hosting it and the backup plan of its files and database (its updates' restore point), or --unlink",
    )
    .argument("<id>")
    .option("--site <site>", "the Steward site: its id or one of its names")
    .option("--backup-plan <plan>", "the backup plan's id")
    .option("--unlink", "remove the link (updates go back to the connector's restore points)")
    .action(async (id, o) => {
      const ref = parse(v.id, id, { input: "<id>" });
      if (o.unlink && (o.site || o.backupPlan))
        throw new UsageError("--unlink: give it alone, without --site or --backup-plan");
      if (!o.unlink && !(o.site || o.backupPlan))
        throw new UsageError("--site: give --site and --backup-plan, or --unlink");
      const names = { site: "--site", backupPlan: "--backup-plan" };
      await withServices(g(), async (svc, ctx) => {
        const site = o.unlink ? null : await siteIdOf(svc, ctx, o.site);
        const input = parse(
          cmsSitePatch,
          o.unlink ? { site: null, backupPlan: null } : { site, backupPlan: o.backupPlan },
          names,
        );
        const linked = await asOptions(svc.cms.patch(ctx, ref, input), names);
        if (g().json) return print(g(), linked);
        process.stdout.write(
          linked.hosted
            ? `CMS site ${linked.id} (${linked.name}) is hosted on site ${linked.hosted.site}; its updates back up through plan ${linked.hosted.backupPlan}\n`
            : `CMS site ${linked.id} (${linked.name}) is no longer linked to a Steward site\n`,
        );
      });
    });
}
