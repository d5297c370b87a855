import { Cron } from "croner";

/** Exponential backoff with full jitter: attempt 1 waits up to base, then 2x, 4x... capped. */
export function backoffMs(
  attempt: number,
  opts = { baseMs: 5_000, maxMs: 15 * 60_000 },
  random = Math.random,
) {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Throws a message fit for a user when the expression or the time zone is wrong. */
export function checkSchedule(expression: string, timezone?: string | null): void {
  if (timezone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: timezone });
    } catch {
      throw new Error(`timezone: unknown time zone "${timezone}"`);
    }
  }
  try {
    const next = new Cron(expression, { timezone: timezone ?? undefined, paused: true }).nextRun();
    if (!next) throw new Error("never runs");
  } catch (e) {
    throw new Error(`expression: not a valid cron expression (${(e as Error).message})`);
  }
}

/**
 * The next run strictly after `from`. Missed runs are not replayed: after downtime a
 * recurring task runs once, then resumes its schedule from now.
 */
export function nextRun(expression: string, timezone: string | null, from = Date.now()): number {
  const next = new Cron(expression, { timezone: timezone ?? undefined, paused: true }).nextRun(
    new Date(from),
  );
  if (!next) throw new Error(`the schedule "${expression}" has no next run`);
  return next.getTime();
}
