// `steward cms update --bulk`: the account's sites updated as their policies allow, with a
// preview of what runs when (docs/cms.md#bulk-updates). Input passes the API's own schema; a
// refused value names its option.
import { type CmsBulkUpdatePlan, cmsBulkUpdate } from "@steward/contracts";
import { accountIdOf, type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { asOptions } from "./cms-updates.ts";

function printPlan(plan: CmsBulkUpdatePlan, json: boolean) {
  if (json) return print({ json }, plan);
  process.stdout.write(
    `${plan.preview ? "preview: nothing changed" : "pushed"}; upgrades start ${plan.spacingSeconds / 60} minutes apart\n`,
  );
  print(
    { json },
    {
      items: plan.items.map((i) => ({
        site: i.siteName,
        "runs at (UTC)": i.runAt,
        timezone: i.timezone,
        updates: i.updates
          .map((u) => `${u.type === "core" ? "core" : u.slug} ${u.from}→${u.to}`)
          .join(", "),
        task: i.taskId,
        note: i.note,
      })),
    },
    ["site", "runs at (UTC)", "timezone", "updates", "task", "note"],
  );
}

export async function bulkUpdate(
  g: GlobalOptions,
  o: { account?: string; site?: string[]; all?: boolean; now?: boolean; preview?: boolean },
) {
  if (!o.account) throw new UsageError("--account: required with --bulk");
  await withServices(g, async (svc, ctx) => {
    const account = (await accountIdOf(svc, ctx, o.account as string)) ?? o.account;
    const names = { account: "--account", sites: "--site", all: "--all", now: "--now" };
    const input = parse(
      cmsBulkUpdate,
      {
        account,
        sites: o.site,
        all: o.all ?? false,
        now: o.now ?? false,
        preview: o.preview ?? false,
      },
      names,
    );
    printPlan(await asOptions(svc.cmsUpdates.bulk(ctx, input), names), Boolean(g.json));
  });
}
