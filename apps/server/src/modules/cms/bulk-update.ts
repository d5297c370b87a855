// A bulk update of an account's CMS sites (docs/cms.md#bulk-updates): for each site the caller
// may update, what its upgrade task would apply (the policies' automatic offers, or every offer
// whose policy is not none) and when (its window's next opening, or now; two minutes from any
// other upgrade, waiting ones included); pushed unless it is a preview, audited per site.
import type { CmsBulkUpdate, CmsPlannedUpdate } from "@steward/contracts";
import type { Kysely } from "kysely";
import { cmsSites } from "../../access/policies/cms-sites.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { taskCreator } from "../tasks/service.ts";
import * as sites from "./repo.ts";
import { MAX_PER_ACCOUNT } from "./service.ts";
import { siteSettings } from "./update-policy.ts";
import * as repo from "./update-repo.ts";
import {
  chosenUpdates,
  earliestStart,
  isWaiting,
  pushUpgrade,
  schedule,
  UPGRADE_GAP_SECONDS,
  upgradeTaskOf,
  type Want,
} from "./upgrades.ts";

const iso = (ms: number) => new Date(ms).toISOString();

interface Deps {
  db: Db;
  engine: Engine;
  audit: (
    trx: Kysely<Database>,
    ctx: Ctx,
    action: string,
    target: { type: string; id: string },
    accountId: string,
    diff: unknown,
  ) => Promise<unknown>;
}

export async function bulkUpdate(
  { db, engine, audit }: Deps,
  ctx: Ctx,
  input: CmsBulkUpdate,
  now: number,
) {
  const k = db.db;

  if (!cmsSites.canList(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
  const all = await sites.sitesOfAccount(k, input.account, MAX_PER_ACCOUNT);
  let chosen = all.filter((s) => cmsSites.canManage(ctx, s).allowed);
  if (input.sites) {
    const wanted = new Set(input.sites);
    for (const id of wanted)
      if (!chosen.some((s) => s.id === id))
        throw invalid("sites", `no CMS site ${id} of the account that you may update`);
    chosen = chosen.filter((s) => wanted.has(s.id));
  }
  const items: CmsPlannedUpdate[] = [];
  const wants: (Want & { site: sites.CmsSiteRow; updates: CmsPlannedUpdate["updates"] })[] = [];
  const taken: number[] = [];
  for (const site of chosen) {
    const rows = await repo.policiesOfSite(k, site.account_id, site.id);
    const { task } = await upgradeTaskOf(k, site.id);
    const updates = chosenUpdates(site, rows, [], input.all);
    const item = { siteId: site.id, siteName: site.name, timezone: site.timezone, updates };
    const note = (text: string, runAt: string | null = null, taskId: string | null = null) =>
      items.push({ ...item, runAt, taskId, note: text });
    // "now" brings a queued upgrade forward (pushUpgrade keeps the task, adds what is asked)
    if (isWaiting(task) && !(input.now && task.state === "queued")) {
      if (task.state === "queued") taken.push(Number(task.run_at));
      const text =
        task.state === "running"
          ? "an upgrade task is running"
          : "an upgrade task is already waiting";
      note(text, iso(Number(task.run_at)), task.id);
    } else if (site.refreshed_at === null) note("not refreshed yet: no offers known");
    else if (updates.length === 0)
      note(input.all ? "no update offered" : "no update the policy applies on its own");
    else {
      const { window } = siteSettings(rows, site.id);
      const earliest = input.now ? now : earliestStart(window, site.timezone, now);
      wants.push({
        siteId: site.id,
        earliest,
        window: input.now ? null : window,
        timezone: site.timezone,
        site,
        updates,
      });
    }
  }
  const times = schedule(wants, taken);
  for (const want of wants) {
    const runAt = times.get(want.siteId) ?? now;
    let taskId: string | null = null;
    if (!input.preview) {
      const task = await pushUpgrade({ db, engine }, want.site, {
        runAt,
        requested: want.updates.map((u) => ({ type: u.type, slug: u.slug })),
        createdBy: taskCreator(ctx),
        within: (trx, id) =>
          audit(
            trx,
            ctx,
            "cms_site.bulk_update",
            { type: "cms_site", id: want.site.id },
            want.site.account_id,
            {
              taskId: id,
              runAt: iso(runAt),
              updates: want.updates.map((u) => `${u.type}:${u.slug}:${u.to}`),
            },
          ),
      });
      taskId = task.id;
    }
    items.push({
      siteId: want.siteId,
      siteName: want.site.name,
      timezone: want.timezone,
      runAt: iso(runAt),
      updates: want.updates,
      taskId,
      note: null,
    });
  }
  items.sort(
    (a, b) =>
      (a.runAt ?? "~").localeCompare(b.runAt ?? "~") || a.siteName.localeCompare(b.siteName),
  );
  return { preview: input.preview, spacingSeconds: UPGRADE_GAP_SECONDS, items };
}
