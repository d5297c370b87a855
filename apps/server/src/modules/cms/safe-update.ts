// The safe update (docs/cms.md#safe-updates), what a site's `cms.upgrade` task does: the home
// page checked first (status and the policy's keyword), then for each update a restore point
// through the connector, the update, the same check, and when the update or the check fails
// the restore point put back and the site checked again; with the policy's visual check on, the
// home page's screenshots before and after each update are compared too (visual-check.ts). Each
// update's outcome goes to the site's history with its event (and its three images); the site
// is refreshed at the end.
import type { JudgedOffer } from "@steward/contracts";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import { type HandlerDef, PermanentError, type TaskLogger } from "../../engine/types.ts";
import { errorText } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import * as repo from "./repo.ts";
import { type Checks, checkHome, type Outcome, updateOne } from "./safe-update-steps.ts";
import { type CmsTaskDeps, refreshSite } from "./tasks.ts";
import {
  describeUpdate,
  updateFailed,
  updateRolledBack,
  updatesSucceeded,
} from "./update-events.ts";
import { siteSettings } from "./update-policy.ts";
import {
  findUpgrade,
  insertHistory,
  insertShots,
  policiesOfSite,
  pruneShots,
  saveUpgrade,
} from "./update-repo.ts";
import {
  CMS_UPGRADE,
  chosenUpdates,
  parseRequested,
  UPGRADE_GAP_KEY,
  UPGRADE_GAP_SECONDS,
} from "./upgrades.ts";
import { startVisual } from "./visual-check.ts";
import type { WpOptions, WpTarget } from "./wordpress.ts";

/** The images of a site's latest updates kept (the older ones' removed, docs/cms.md). */
export const KEPT_SHOTS = 20;

/** Plugins first, then themes (or Joomla extensions), core last: an extension's rollback does not depend on core. */
const order = { plugin: 0, theme: 1, extension: 2, core: 3 } as const;

export async function runUpgrade(
  deps: CmsTaskDeps,
  task: { id: string; siteId: string },
  log: TaskLogger,
  signal?: AbortSignal,
) {
  const k = deps.db.db;
  const site = await repo.findSite(k, task.siteId);
  if (!site) throw new PermanentError("the site was removed");
  const record = await findUpgrade(k, site.id);
  const requested = parseRequested(record?.requested);
  if (record) await saveUpgrade(k, { ...record, requested: "[]", updated_at: Date.now() });
  const policies = await policiesOfSite(k, site.account_id, site.id);
  const items = chosenUpdates(site, policies, requested).sort(
    (a, b) => order[a.type] - order[b.type],
  );
  if (items.length === 0) {
    log.info("nothing to update: no offer the policy applies, none asked for");
    return { updated: 0, failed: 0, rolledBack: 0 };
  }
  const settings = siteSettings(policies, site.id);
  const { keyword } = settings;
  const target: WpTarget = {
    url: site.url,
    username: site.username,
    password: deps.secrets.open(site.secret_enc),
  };
  const options: WpOptions = { policy: deps.policy() };
  const before = await checkHome(deps, site.url, keyword);
  log.info(`before: ${before.message}`);
  const visual = before.ok ? await startVisual(deps, site.url, settings, log) : null;
  try {
    return await applyAll(
      deps,
      { task, site, target, options, before, items, log },
      {
        keyword,
        visual,
        // a hosted site is never updated behind anything but its backup plan's run
        hosted: site.site_id
          ? { db: deps.db, backups: deps.backups ?? null, planId: site.backup_plan_id }
          : null,
        signal,
      },
    );
  } finally {
    await visual?.shooter?.close().catch(() => undefined);
  }
}

interface Run {
  task: { id: string };
  site: repo.CmsSiteRow;
  target: WpTarget;
  options: WpOptions;
  before: Awaited<ReturnType<typeof checkHome>>;
  items: JudgedOffer[];
  log: TaskLogger;
}

/** Each update in turn, its outcome recorded; the site refreshed; the task failed when one failed. */
async function applyAll(deps: CmsTaskDeps, run: Run, checks: Checks) {
  const { task, site, target, options, before, items, log } = run;
  const k = deps.db.db;
  const outcomes: { item: JudgedOffer; result: Outcome }[] = [];
  for (const item of items) {
    const result: Outcome = before.ok
      ? await updateOne(deps, site.kind, target, options, item, checks, log)
      : {
          outcome: "failed",
          from: item.from,
          to: null,
          message: `not updated: before the update ${before.message}`,
          statusAfter: null,
        };
    outcomes.push({ item, result });
    const what = describeUpdate({ ...item, to: result.to ?? item.to });
    const historyId = newId("cuh");
    const shots = result.visual?.shots ?? null;
    await k.transaction().execute(async (trx) => {
      await insertHistory(trx, {
        id: historyId,
        account_id: site.account_id,
        site_id: site.id,
        task_id: task.id,
        ext_type: item.type,
        ext_slug: item.slug,
        from_version: result.from,
        to_version: result.to,
        outcome: result.outcome,
        message: result.message.slice(0, 4000),
        status_before: before.status,
        status_after: result.statusAfter,
        visual_percent: result.visual?.percent ?? null,
        visual_threshold: result.visual?.threshold ?? null,
        visual_shots: shots ? 1 : 0,
        created_at: Date.now(),
      });
      if (shots) {
        await insertShots(trx, { id: historyId, site_id: site.id }, shots);
        await pruneShots(trx, site.id, KEPT_SHOTS);
      }
      if (result.outcome === "failed") await updateFailed(trx, site, task.id, what, result.message);
      if (result.outcome === "rolled_back")
        await updateRolledBack(
          trx,
          site,
          task.id,
          what,
          result.message,
          result.restoredVersion ?? null,
        );
    });
  }
  const succeeded = outcomes.filter((o) => o.result.outcome === "succeeded");
  if (succeeded.length)
    await k.transaction().execute((trx) =>
      updatesSucceeded(
        trx,
        site,
        task.id,
        succeeded.map((o) => describeUpdate({ ...o.item, to: o.result.to ?? o.item.to })),
      ),
    );
  await refreshSite(deps, site.id).catch((error: unknown) =>
    log.warn(`the refresh after the update failed: ${errorText(error)}`),
  );
  const bad = outcomes.filter((o) => o.result.outcome !== "succeeded");
  if (bad.length)
    throw new PermanentError(
      bad
        .map(
          (o) =>
            `${describeUpdate(o.item)}: ${o.result.outcome.replace("_", " ")}: ${o.result.message}`,
        )
        .join("; ")
        .slice(0, 4000),
    );
  return { updated: succeeded.length, failed: 0, rolledBack: 0 };
}

const payload = z.strictObject({ siteId: z.string() });

export function cmsUpgradeTask(deps: CmsTaskDeps & { db: Db }): HandlerDef<typeof payload> {
  return {
    kind: CMS_UPGRADE,
    description:
      "updates a CMS site safely: home page check, restore point, update, check again, rollback when it fails",
    payload,
    timeoutMs: 30 * 60_000,
    // an update is not retried blindly: the site may be half-way
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    gap: { key: () => UPGRADE_GAP_KEY, seconds: UPGRADE_GAP_SECONDS },
    unique: (p) => `${CMS_UPGRADE}:${p.siteId}`,
    run: (ctx) =>
      runUpgrade(deps, { id: ctx.task.id, siteId: ctx.task.payload.siteId }, ctx.log, ctx.signal),
  };
}
