// The global upgrade scan (docs/cms.md#updates), a system task every 5 minutes: every site
// offered updates at its last refresh has its offers judged by its policies; offers not told
// before are announced (cms.update.available); a site with updates its policy applies on its
// own and no upgrade task waiting gets its run-once, high-priority upgrade task (re-enabled or
// made), due inside its window and two minutes from any other upgrade's start.
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { type CmsSiteRow, sitesWithOffers } from "./repo.ts";
import { updatesAvailable } from "./update-events.ts";
import { judge, siteSettings } from "./update-policy.ts";
import { type PolicyRow, policiesOfSite, setAnnounced } from "./update-repo.ts";
import {
  earliestStart,
  infoOf,
  isWaiting,
  offersOf,
  pushUpgrade,
  schedule,
  upgradeTaskOf,
  type Want,
} from "./upgrades.ts";

export const CMS_UPGRADE_SCAN = "cms.upgrade-scan";

const PAGE = 200;

interface Found {
  site: CmsSiteRow;
  policies: PolicyRow[];
  announced: string[];
}

/** One pass of the scan at `now` (the task's clock; tests give their own). */
export async function scanUpgrades(deps: { db: Db; engine: Engine }, now: number) {
  const k = deps.db.db;
  const wants: (Want & Found)[] = [];
  const taken: number[] = [];
  const announce: { found: Found; keys: string[] }[] = [];
  let after = "";
  for (;;) {
    const page = await sitesWithOffers(k, after, PAGE);
    for (const site of page) {
      const policies = await policiesOfSite(k, site.account_id, site.id);
      const { record, task } = await upgradeTaskOf(k, site.id);
      const judged = offersOf(site.kind, infoOf(site))
        .map((o) => judge(policies, site.id, o))
        .filter((j) => j.level !== "none");
      const announced: string[] = record ? (JSON.parse(record.announced) as string[]) : [];
      const found = { site, policies, announced };
      const keys = judged.map((j) => `${j.type}:${j.slug}:${j.to}`);
      if (keys.some((key) => !announced.includes(key))) announce.push({ found, keys });
      if (isWaiting(task)) {
        if (task.state === "queued") taken.push(Number(task.run_at));
        continue;
      }
      if (!judged.some((j) => j.automatic)) continue;
      const { window } = siteSettings(policies, site.id);
      wants.push({
        ...found,
        siteId: site.id,
        window,
        timezone: site.timezone,
        earliest: earliestStart(window, site.timezone, now),
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]?.id ?? after;
  }
  const times = schedule(wants, taken);
  for (const want of wants) {
    const runAt = times.get(want.siteId) ?? now;
    await pushUpgrade(deps, want.site, { runAt, createdBy: "system:cms.upgrade-scan" });
  }
  for (const { found, keys } of announce) {
    const judged = offersOf(found.site.kind, infoOf(found.site))
      .map((o) => judge(found.policies, found.site.id, o))
      .filter((j) => keys.includes(`${j.type}:${j.slug}:${j.to}`));
    const fresh = judged.filter((j) => !found.announced.includes(`${j.type}:${j.slug}:${j.to}`));
    const runAt = times.get(found.site.id) ?? null;
    await k.transaction().execute(async (trx) => {
      await setAnnounced(trx, found.site, keys);
      await updatesAvailable(trx, found.site, fresh, fresh.some((j) => j.automatic) ? runAt : null);
    });
  }
  return {
    scheduled: wants.map((w) => ({ siteId: w.siteId, runAt: times.get(w.siteId) ?? now })),
    announced: announce.length,
  };
}

const payload = z.strictObject({});

export function cmsUpgradeScanTask(deps: { db: Db; engine: Engine }): HandlerDef<typeof payload> {
  return {
    kind: CMS_UPGRADE_SCAN,
    description:
      "finds CMS sites with updates their policies apply and pushes each site's upgrade task, inside its window, 2 minutes apart",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 1,
    system: true,
    recurring: true,
    unique: () => CMS_UPGRADE_SCAN,
    async run(ctx) {
      const done = await scanUpgrades(deps, Date.now());
      for (const s of done.scheduled)
        ctx.log.info(`site ${s.siteId}: upgrade at ${new Date(s.runAt).toISOString()}`);
      return { scheduled: done.scheduled.length, announced: done.announced };
    },
  };
}
