// The visual check of a safe update (docs/cms.md#the-visual-check), when the site's policy turns
// it on: a screenshot of the home page before each update and another after it (visual-shot.ts),
// compared (visual-diff.ts); more of the pixels changed than the policy's threshold fails the
// update as a failed HTTP check does (rolled back). Chromium missing, or the screenshot before
// the update failing, skips the check with a warning in the task's log and the history's
// message: never a silent pass. The three images are kept with the update's history row.
import type { VisualShotKind } from "@steward/contracts";
import type { TaskLogger } from "../../engine/types.ts";
import type { CmsTaskDeps } from "./tasks.ts";
import type { SiteSettings } from "./update-policy.ts";
import { openShooter, type Shooter } from "./visual-shot.ts";

/** Where the panel looks for Chromium unless the `chromium` setting says otherwise. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

export interface VisualRun {
  /** null: the check is skipped (`skipped` says why) */
  shooter: Shooter | null;
  skipped: string | null;
  threshold: number;
}

/** What the check found for one update, kept in its history row. */
export interface VisualOutcome {
  /** % of the pixels changed; null: not compared (`note` says why) */
  percent: number | null;
  threshold: number;
  shots: Record<VisualShotKind, Buffer> | null;
  /** the words added to the history's message */
  note: string;
}

const errorText = (error: unknown) =>
  error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);

/** The task's browser when the site's policy turns the check on (null: off). */
export async function startVisual(
  deps: CmsTaskDeps,
  url: string,
  settings: Pick<SiteSettings, "visualCheck" | "visualThreshold">,
  log: TaskLogger,
): Promise<VisualRun | null> {
  if (settings.visualCheck !== "on") return null;
  const threshold = settings.visualThreshold;
  const opened = await openShooter({
    executable: deps.chromium ?? DEFAULT_CHROMIUM,
    url,
    policy: deps.policy(),
  });
  if (typeof opened === "string") {
    log.warn(`visual check skipped: ${opened}`);
    return { shooter: null, skipped: opened, threshold };
  }
  log.info(`visual check on: more than ${threshold}% of the home page's pixels changed fails`);
  return { shooter: opened, skipped: null, threshold };
}

/** The screenshot before an update, or why the check is skipped for it. */
export async function shotBefore(run: VisualRun, log: TaskLogger): Promise<Buffer | string> {
  if (!run.shooter) return run.skipped ?? "no browser";
  try {
    return await run.shooter.shoot();
  } catch (error) {
    const why = `the screenshot before the update failed: ${errorText(error)}`;
    log.warn(`visual check skipped: ${why}`);
    return why;
  }
}

/** Skipped, or not compared because the update or its HTTP check failed first. */
export const notCompared = (run: VisualRun, before: Buffer | string): VisualOutcome => ({
  percent: null,
  threshold: run.threshold,
  shots: null,
  note:
    typeof before === "string"
      ? `visual check skipped: ${before}`
      : "visual check not compared: the update or its HTTP check failed",
});

/** The screenshot after the update compared with the one before: a failure over the threshold. */
export async function checkAfter(
  run: VisualRun,
  before: Buffer,
  log: TaskLogger,
): Promise<{ visual: VisualOutcome; failure: string | null }> {
  if (!run.shooter) return { visual: notCompared(run, run.skipped ?? "no browser"), failure: null };
  let after: Buffer;
  try {
    after = await run.shooter.shoot();
  } catch (error) {
    const failure = `the home page's screenshot after the update failed: ${errorText(error)}`;
    return { visual: { ...notCompared(run, failure), note: failure }, failure };
  }
  const { diffShots } = await import("./visual-diff.ts");
  const { percent, diff } = diffShots(before, after);
  const measured = `${percent}% of the home page's pixels changed (threshold ${run.threshold}%)`;
  const over = percent > run.threshold;
  if (over) log.warn(`visual check: ${measured}`);
  else log.info(`visual check: ${measured}`);
  return {
    visual: {
      percent,
      threshold: run.threshold,
      shots: { before, after, diff },
      note: `visual check: ${measured}`,
    },
    failure: over ? `the home page changed visually: ${measured}` : null,
  };
}
