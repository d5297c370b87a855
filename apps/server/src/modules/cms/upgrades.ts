// Each CMS site's run-once upgrade task (docs/cms.md#updates): what it would apply (the
// offers its policies allow on their own, and the ones people asked for), when it runs (inside
// the site's window, two minutes apart across sites), and pushing it: the site's one task
// re-enabled, or made the first time, never a second one.
import type {
  CmsInfo,
  CmsKind,
  CmsUpdateOffer,
  JudgedOffer,
  UpdateWindow,
} from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { requeued } from "../../engine/manage.ts";
import type { TaskRow } from "../../engine/types.ts";
import { findTask } from "../tasks/repo.ts";
import { coreName, updateTypeOf } from "./client.ts";
import type { CmsSiteRow } from "./repo.ts";
import { judge } from "./update-policy.ts";
import { findUpgrade, type PolicyRow, saveUpgrade } from "./update-repo.ts";
import { inWindow, nextWindowStart } from "./update-window.ts";

export const CMS_UPGRADE = "cms.upgrade";
/** Two sites' upgrades start at least this far apart (the engine's gap key `cms-upgrade`). */
export const UPGRADE_GAP_SECONDS = 120;
export const UPGRADE_GAP_KEY = "cms-upgrade";

export interface UpgradeDeps {
  db: Db;
  engine: Engine;
}

export type Requested = { type: CmsUpdateOffer["type"]; slug: string }[];

/** The offers in a site's cached info: core and each extension with an update. */
export function offersOf(kind: CmsKind, info: CmsInfo | null): CmsUpdateOffer[] {
  const items: CmsUpdateOffer[] = [];
  if (info?.coreUpdate)
    items.push({
      type: "core",
      slug: "",
      name: coreName(kind),
      from: info.core,
      to: info.coreUpdate,
    });
  for (const e of info?.extensions ?? [])
    if (e.update !== null)
      items.push({
        type: updateTypeOf(kind, e.type),
        slug: e.slug,
        name: e.name,
        from: e.version,
        to: e.update,
      });
  return items;
}

export const infoOf = (site: CmsSiteRow) => (site.info ? (JSON.parse(site.info) as CmsInfo) : null);

export const parseRequested = (json: string | undefined): Requested =>
  json ? (JSON.parse(json) as Requested) : [];

const sameUpdate = (a: { type: string; slug: string }, b: { type: string; slug: string }) =>
  a.type === b.type && (a.type === "core" || a.slug === b.slug);

/**
 * The site's offers as its upgrade would apply them: every offer judged, kept when the policy
 * applies it on its own, when someone asked for it, or (`all`) when its policy is not `none`.
 */
export function chosenUpdates(
  site: CmsSiteRow,
  policies: PolicyRow[],
  requested: Requested,
  all = false,
): JudgedOffer[] {
  return offersOf(site.kind, infoOf(site))
    .map((offer) => judge(policies, site.id, offer))
    .filter(
      (j) => j.automatic || requested.some((r) => sameUpdate(r, j)) || (all && j.level !== "none"),
    );
}

export interface Want {
  siteId: string;
  /** the earliest it may start (now, or its window's next opening) */
  earliest: number;
  window: UpdateWindow | null;
  timezone: string;
}

/**
 * Start times, each inside its site's window and at least the gap away from every other start
 * (`taken`: the upgrades already waiting), the earliest wants served first.
 */
export function schedule(wants: Want[], taken: number[]): Map<string, number> {
  const gap = UPGRADE_GAP_SECONDS * 1000;
  const used = [...taken];
  const out = new Map<string, number>();
  const order = [...wants].sort(
    (a, b) => a.earliest - b.earliest || a.siteId.localeCompare(b.siteId),
  );
  for (const want of order) {
    let at = want.earliest;
    for (let i = 0; i < 10_000; i++) {
      const clash = used.find((u) => Math.abs(u - at) < gap);
      if (clash !== undefined) at = clash + gap;
      else if (want.window && !inWindow(want.window, want.timezone, at))
        at = nextWindowStart(want.window, want.timezone, at);
      else break;
    }
    used.push(at);
    out.set(want.siteId, at);
  }
  return out;
}

/** When a site's upgrade may first start: now, or when its window next opens. */
export const earliestStart = (window: UpdateWindow | null, timezone: string, now: number) =>
  window ? nextWindowStart(window, timezone, now) : now;

const ACTIVE: readonly TaskRow["state"][] = ["queued", "running"];
/** An upgrade task that will still run: queued or running, and enabled. */
export const isWaiting = (task: TaskRow | undefined): task is TaskRow =>
  task !== undefined && ACTIVE.includes(task.state) && Number(task.enabled) === 1;

/** The site's upgrade task, when it has one. */
export async function upgradeTaskOf(k: Kysely<Database>, siteId: string) {
  const record = await findUpgrade(k, siteId);
  const task = record?.task_id ? await findTask(k, record.task_id) : undefined;
  return { record, task };
}

interface Push {
  runAt: number;
  /** updates people asked for, applied whatever the policy says */
  requested?: Requested;
  createdBy: string | null;
  /** the caller's writes (its audit record) in the push's transaction */
  within?: (trx: Kysely<Database>, taskId: string) => Promise<unknown>;
}

/**
 * Pushes the site's run-once, high-priority upgrade task to run at `runAt`: a waiting one is
 * kept (brought forward when `runAt` is earlier), a finished or disabled one enabled again, and
 * only a site that never had one gets a new task.
 */
export async function pushUpgrade(
  { db, engine }: UpgradeDeps,
  site: Pick<CmsSiteRow, "id" | "account_id">,
  push: Push,
): Promise<TaskRow> {
  const k = db.db;
  const { record, task } = await upgradeTaskOf(k, site.id);
  const requested = parseRequested(record?.requested);
  for (const r of push.requested ?? [])
    if (!requested.some((q) => sameUpdate(q, r))) requested.push(r);
  const save = async (trx: Kysely<Database>, taskId: string) => {
    await saveUpgrade(trx, {
      site_id: site.id,
      account_id: site.account_id,
      task_id: taskId,
      requested: JSON.stringify(requested),
      announced: record?.announced ?? "[]",
      updated_at: Date.now(),
    });
    await push.within?.(trx, taskId);
  };
  if (task?.state === "running") {
    // it read what to apply when it started: what is asked now waits for its next run
    await k.transaction().execute((trx) => save(trx, task.id));
    return task;
  }
  if (task?.state === "queued") {
    const set = {
      enabled: 1,
      run_at: Math.min(Number(task.run_at), push.runAt),
      priority: 1,
    };
    const change = await engine.patch(task, set, (trx) => save(trx, task.id));
    return change.task;
  }
  if (task) {
    const change = await engine.patch(task, { ...requeued(push.runAt), priority: 1 }, (trx) =>
      save(trx, task.id),
    );
    return change.task;
  }
  return k.transaction().execute(async (trx) => {
    const { task: made } = await engine.enqueue(
      {
        kind: CMS_UPGRADE,
        payload: { siteId: site.id },
        target: { type: "cms_site", id: site.id },
        accountId: site.account_id,
        priority: 1,
        runAt: push.runAt,
        onSuccess: "disable",
        createdBy: push.createdBy,
      },
      trx,
    );
    await save(trx, made.id);
    return made;
  });
}
