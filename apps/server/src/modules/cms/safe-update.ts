// The safe update (docs/cms.md#safe-updates), what a site's `cms.upgrade` task does: the home
// page checked first (status and the policy's keyword), then for each update a restore point
// through the connector, the update, the same check, and when the update or the check fails
// the restore point put back and the site checked again. Each update's outcome goes to the
// site's history with its event; the site is refreshed at the end.
import type { JudgedOffer } from "@steward/contracts";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import { type HandlerDef, PermanentError, type TaskLogger } from "../../engine/types.ts";
import { newId } from "../../lib/ids.ts";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import * as repo from "./repo.ts";
import { makeRestorePoint, restoreRestorePoint } from "./restore-client.ts";
import { type CmsTaskDeps, refreshSite } from "./tasks.ts";
import {
  describeUpdate,
  updateFailed,
  updateRolledBack,
  updatesSucceeded,
} from "./update-events.ts";
import { siteSettings } from "./update-policy.ts";
import { findUpgrade, insertHistory, policiesOfSite, saveUpgrade } from "./update-repo.ts";
import {
  CMS_UPGRADE,
  chosenUpdates,
  parseRequested,
  UPGRADE_GAP_KEY,
  UPGRADE_GAP_SECONDS,
} from "./upgrades.ts";
import { applyUpdate, type WpOptions, type WpTarget } from "./wordpress.ts";

export interface Check {
  ok: boolean;
  status: number | null;
  /** what is wrong, in words ("answers HTTP 500", "does not contain “Welcome”") */
  message: string;
}

/** GET the home page (redirects followed, under the outbound policy): status < 400 and the keyword. */
export async function checkHome(
  deps: CmsTaskDeps,
  url: string,
  keyword: string | null,
): Promise<Check> {
  try {
    const answer = await outboundRequest(
      { field: "url", method: "GET", url, headers: { accept: "text/html" }, redirects: "all" },
      {
        policy: deps.policy(),
        who: "this panel",
        localAddresses: panelAddresses(),
        timeoutMs: 30_000,
        maxBytes: 2 * 1024 * 1024,
      },
    );
    if (answer.status >= 400)
      return {
        ok: false,
        status: answer.status,
        message: `the home page answers HTTP ${answer.status}`,
      };
    if (keyword !== null && !answer.body.includes(keyword))
      return {
        ok: false,
        status: answer.status,
        message: `the home page (HTTP ${answer.status}) does not contain "${keyword}"`,
      };
    return {
      ok: true,
      status: answer.status,
      message: `the home page answers HTTP ${answer.status}`,
    };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, status: null, message: `the home page does not answer: ${why}` };
  }
}

interface Outcome {
  outcome: "succeeded" | "failed" | "rolled_back";
  from: string | null;
  to: string | null;
  message: string;
  statusAfter: number | null;
  restoredVersion?: string | null;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** One update, made safe: restore point, update, check, and rollback when it fails. */
async function updateOne(
  deps: CmsTaskDeps,
  target: WpTarget,
  options: WpOptions,
  item: JudgedOffer,
  keyword: string | null,
  log: TaskLogger,
): Promise<Outcome> {
  const what = describeUpdate(item);
  const ext = item.type === "core" ? null : { type: item.type, slug: item.slug };
  let point: { id: string; version: string } | null = null;
  if (ext) {
    try {
      point = await makeRestorePoint(target, options, ext);
      log.info(`restore point of ${ext.type} ${ext.slug} at ${point.version}`);
    } catch (error) {
      const message = `not updated: no restore point could be made (${errorText(error)})`;
      return { outcome: "failed", from: item.from, to: null, message, statusAfter: null };
    }
  }
  log.info(`updating ${what}`);
  let failure: string | null = null;
  let to: string | null = null;
  try {
    const done = await applyUpdate(target, options, { type: item.type, slug: item.slug });
    for (const line of done.log) log.info(line);
    to = done.to;
    if (!done.ok) failure = `the update failed: ${done.error ?? "no reason given"}`;
  } catch (error) {
    failure = `the update failed: ${errorText(error)}`;
  }
  const after = failure === null ? await checkHome(deps, target.url, keyword) : null;
  if (after?.ok) {
    log.info(`${what}: done, ${after.message}`);
    return {
      outcome: "succeeded",
      from: item.from,
      to,
      message: after.message,
      statusAfter: after.status,
    };
  }
  const why = failure ?? `after the update ${after?.message ?? "the check did not run"}`;
  log.warn(why);
  if (!ext || !point)
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: `${why}; a core update is not rolled back: restore the site from a backup`,
      statusAfter: after?.status ?? null,
    };
  try {
    const restored = await restoreRestorePoint(target, options, { ...ext, id: point.id });
    const again = await checkHome(deps, target.url, keyword);
    log.info(`rolled back to ${restored.version ?? "?"}: ${again.message}`);
    if (restored.ok && again.ok)
      return {
        outcome: "rolled_back",
        from: item.from,
        to,
        message: `${why}; rolled back to ${restored.version ?? point.version}, ${again.message}`,
        statusAfter: again.status,
        restoredVersion: restored.version,
      };
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: `${why}; the rollback did not bring the site back: ${restored.error ?? again.message}`,
      statusAfter: again.status,
    };
  } catch (error) {
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: `${why}; the rollback failed: ${errorText(error)}`,
      statusAfter: after?.status ?? null,
    };
  }
}

/** Plugins first, then themes, core last: an extension's rollback does not depend on core. */
const order = { plugin: 0, theme: 1, core: 2 } as const;

export async function runUpgrade(
  deps: CmsTaskDeps,
  task: { id: string; siteId: string },
  log: TaskLogger,
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
  const { keyword } = siteSettings(policies, site.id);
  const target: WpTarget = {
    url: site.url,
    username: site.username,
    password: deps.secrets.open(site.secret_enc),
  };
  const options: WpOptions = { policy: deps.policy() };
  const before = await checkHome(deps, site.url, keyword);
  log.info(`before: ${before.message}`);
  const outcomes: { item: JudgedOffer; result: Outcome }[] = [];
  for (const item of items) {
    const result: Outcome = before.ok
      ? await updateOne(deps, target, options, item, keyword, log)
      : {
          outcome: "failed",
          from: item.from,
          to: null,
          message: `not updated: before the update ${before.message}`,
          statusAfter: null,
        };
    outcomes.push({ item, result });
    const what = describeUpdate({ ...item, to: result.to ?? item.to });
    await k.transaction().execute(async (trx) => {
      await insertHistory(trx, {
        id: newId("cuh"),
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
        created_at: Date.now(),
      });
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
    run: (ctx) => runUpgrade(deps, { id: ctx.task.id, siteId: ctx.task.payload.siteId }, ctx.log),
  };
}
