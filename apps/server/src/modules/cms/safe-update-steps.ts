// The steps of a safe update (docs/cms.md#safe-updates): the home page's HTTP check, and one
// update behind a restore point (a WordPress core update: the version running, reinstalled),
// rolled back when the update or the checks after it fail (the HTTP check, and the visual
// check when the policy turns it on: visual-check.ts).
import type { CmsInfo, CmsKind, JudgedOffer } from "@steward/contracts";
import type { TaskLogger } from "../../engine/types.ts";
import { errorText } from "../../lib/errors.ts";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import { applySiteUpdate } from "./client.ts";
import { restoreHostedBackup } from "./hosted-backup.ts";
import { reinstallCore, restoreRestorePoint } from "./restore-client.ts";
import { type Guard, type HostedGuard, noRollback, takeGuard } from "./safe-update-guard.ts";
import type { CmsTaskDeps } from "./tasks.ts";
import { describeUpdate } from "./update-events.ts";
import { mayStillRun, settleAfter } from "./update-settle.ts";
import {
  checkAfter,
  notCompared,
  shotBefore,
  type VisualOutcome,
  type VisualRun,
} from "./visual-check.ts";
import type { WpOptions, WpTarget } from "./wordpress.ts";

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

/**
 * The check after a rollback. Files put back by a restore keep their old times and nothing tells
 * PHP's opcache, which runs the replaced files' code until it looks at them again
 * (`opcache.revalidate_freq`, 2 s by default): a failing check is asked twice more, 2.5 s apart.
 */
export async function checkRestored(
  deps: CmsTaskDeps,
  url: string,
  keyword: string | null,
): Promise<Check> {
  let check = await checkHome(deps, url, keyword);
  for (let i = 0; i < 2 && !check.ok; i++) {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    check = await checkHome(deps, url, keyword);
  }
  return check;
}

export interface Outcome {
  outcome: "succeeded" | "failed" | "rolled_back";
  from: string | null;
  to: string | null;
  message: string;
  statusAfter: number | null;
  restoredVersion?: string | null;
  /** the visual check's finding (absent: the check was off) */
  visual?: VisualOutcome;
}

/** What is checked after each update: the HTTP check's keyword, and the visual check (or null). */
export interface Checks {
  keyword: string | null;
  visual: VisualRun | null;
  /** a Steward-hosted site: its backup plan is the restore point (null: the connector's) */
  hosted?: HostedGuard | null;
  /** the task's signal: waiting for a site still updating stops when the task is cancelled */
  signal?: AbortSignal;
}

/** One update, made safe: restore point (or backup), update, check, and rollback when it fails. */
export async function updateOne(
  deps: CmsTaskDeps,
  kind: CmsKind,
  target: WpTarget,
  options: WpOptions,
  item: JudgedOffer,
  checks: Checks,
  log: TaskLogger,
): Promise<Outcome> {
  const { keyword, visual } = checks;
  const what = describeUpdate(item);
  let guard: Guard;
  try {
    guard = await takeGuard(kind, target, options, item, what, log, checks.hosted ?? null);
  } catch (error) {
    const message = `not updated: no restore point or backup could be made (${errorText(error)})`;
    return { outcome: "failed", from: item.from, to: null, message, statusAfter: null };
  }
  const before = visual ? await shotBefore(visual, log) : null;
  log.info(`updating ${what}`);
  let failure: string | null = null;
  let to: string | null = null;
  try {
    const done = await applySiteUpdate(kind, target, options, { type: item.type, slug: item.slug });
    for (const line of done.log) log.info(line);
    to = done.to;
    if (!done.ok) failure = `the update failed: ${done.error ?? "no reason given"}`;
  } catch (error) {
    failure = `the update failed: ${errorText(error)}`;
    if (kind === "wordpress" && mayStillRun(error)) {
      // the site's gateway gave up, not necessarily the update: wait for it, see what it did
      const settled = await settleAfter(
        "the update",
        error,
        { target, options },
        log,
        checks.signal,
      );
      const now = settled.info ? versionOf(settled.info, item) : null;
      if (now !== null && now !== item.from) {
        log.info(`the update finished: ${what} now at ${now}`);
        to = now;
        failure = null;
      } else if (settled.why) failure = `${failure}; ${settled.why}`;
      else failure = `${failure}; the site still runs ${now ?? "an unknown version"}`;
    }
  }
  const after = failure === null ? await checkHome(deps, target.url, keyword) : null;
  let seen: VisualOutcome | undefined =
    visual && before !== null ? notCompared(visual, before) : undefined;
  if (after?.ok && visual && Buffer.isBuffer(before)) {
    const compared = await checkAfter(visual, before, log);
    seen = compared.visual;
    failure = compared.failure;
  }
  const noted = (message: string) => (seen ? `${message}; ${seen.note}` : message);
  if (after?.ok && failure === null) {
    log.info(`${what}: done, ${after.message}`);
    return {
      outcome: "succeeded",
      from: item.from,
      to,
      message: noted(after.message),
      statusAfter: after.status,
      visual: seen,
    };
  }
  // the visual check failed: its words are the reason already, not a note besides
  const visualFailed = Boolean(after?.ok && failure);
  const why =
    (visualFailed ? `after the update ${failure}` : failure) ??
    `after the update ${after?.message ?? "the check did not run"}`;
  log.warn(why);
  if (guard?.kind === "backup" && checks.hosted?.backups) {
    const restored = await restoreHostedBackup(checks.hosted.db, checks.hosted.backups, guard, log);
    const again = restored.ok ? await checkRestored(deps, target.url, keyword) : null;
    if (again) log.info(`${restored.message}: ${again.message}`);
    const back = restored.ok && again?.ok;
    return {
      outcome: back ? "rolled_back" : "failed",
      from: item.from,
      to,
      message: back
        ? `${why}; rolled back: ${restored.message}, ${again?.message}`
        : `${why}; the rollback did not bring the site back: ${again?.message ?? restored.message}`,
      statusAfter: again?.status ?? after?.status ?? null,
      restoredVersion: back ? item.from : null,
      visual: seen,
    };
  }
  if (guard?.kind !== "restore-point" && guard?.kind !== "core-version")
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: visualFailed
        ? `${why}; ${noRollback(guard)}`
        : noted(`${why}; ${noRollback(guard)}`),
      statusAfter: after?.status ?? null,
      visual: seen,
    };
  try {
    const restored = await rollBack(target, options, guard, log, checks.signal);
    const again = await checkRestored(deps, target.url, keyword);
    log.info(`rolled back to ${restored.version ?? "?"}: ${again.message}`);
    if (restored.ok && again.ok)
      return {
        outcome: "rolled_back",
        from: item.from,
        to,
        message: `${why}; rolled back to ${restored.version ?? guard.version}, ${again.message}`,
        statusAfter: again.status,
        restoredVersion: restored.version,
        visual: seen,
      };
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: `${why}; the rollback did not bring the site back: ${restored.error ?? again.message}`,
      statusAfter: again.status,
      visual: seen,
    };
  } catch (error) {
    return {
      outcome: "failed",
      from: item.from,
      to,
      message: `${why}; the rollback failed: ${errorText(error)}`,
      statusAfter: after?.status ?? null,
      visual: seen,
    };
  }
}

/** The version of what `item` updates that the site runs, per its info (null: not installed). */
function versionOf(info: CmsInfo, item: JudgedOffer): string | null {
  if (item.type === "core") return info.core;
  return info.extensions.find((e) => e.type === item.type && e.slug === item.slug)?.version ?? null;
}

/** Puts the guard back: the restore point, or the core version running before reinstalled. */
async function rollBack(
  target: WpTarget,
  options: WpOptions,
  guard: Extract<Guard, { kind: "restore-point" | "core-version" }>,
  log: TaskLogger,
  signal?: AbortSignal,
): Promise<{ ok: boolean; version: string | null; error: string | null }> {
  if (guard.kind === "restore-point")
    return restoreRestorePoint(target, options, {
      type: guard.type,
      slug: guard.slug,
      id: guard.id,
    });
  log.info(`reinstalling WordPress ${guard.version}`);
  try {
    const done = await reinstallCore(target, options, guard.version);
    for (const line of done.log) log.info(line);
    return done;
  } catch (error) {
    if (!mayStillRun(error)) throw error;
    const settled = await settleAfter("the reinstall", error, { target, options }, log, signal);
    const now = settled.info?.core ?? null;
    if (now === guard.version) return { ok: true, version: now, error: null };
    return {
      ok: false,
      version: now,
      error: `the reinstall failed: ${errorText(error)}; ${settled.why ?? `the site runs ${now}`}`,
    };
  }
}
