// `steward cms link ID --site S --backup-plan P | --unlink`: a CMS site linked to the Steward
// site hosting it and the backup plan of that site's files and database, whose run is its
// updates' restore point (docs/cms.md#a-steward-hosted-site); a refusal names its option.
import { cmsSitePatch, v } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { asOptions } from "./cms.ts";

export function cmsLinkCommand(cms: Command, g: () => GlobalOptions) {
  cms
    .command("link")
    .description(
      "links a CMS site to the Steward site hosting it and the backup plan of its files and database (its updates' restore point), or --unlink",
    )
    .argument("<id>")
    .option("--site <site>", "the Steward site's id")
    .option("--backup-plan <plan>", "the backup plan's id")
    .option("--unlink", "remove the link (updates go back to the connector's restore points)")
    .action(async (id, o) => {
      const ref = parse(v.id, id, { input: "<id>" });
      if (o.unlink && (o.site || o.backupPlan))
        throw new UsageError("--unlink: give it alone, without --site or --backup-plan");
      if (!o.unlink && !(o.site || o.backupPlan))
        throw new UsageError("--site: give --site and --backup-plan, or --unlink");
      const names = { site: "--site", backupPlan: "--backup-plan" };
      const input = parse(
        cmsSitePatch,
        o.unlink ? { site: null, backupPlan: null } : { site: o.site, backupPlan: o.backupPlan },
        names,
      );
      await withServices(g(), async (svc, ctx) => {
        const site = await asOptions(svc.cms.patch(ctx, ref, input), names);
        if (g().json) return print(g(), site);
        process.stdout.write(
          site.hosted
            ? `CMS site ${site.id} (${site.name}) is hosted on site ${site.hosted.site}; its updates back up through plan ${site.hosted.backupPlan}\n`
            : `CMS site ${site.id} (${site.name}) is no longer linked to a Steward site\n`,
        );
      });
    });
}
