// A plan's schedule, retention and encryption in words.
import type { Item } from "../lib/api.ts";
import { cronWords } from "../lib/cron-words.ts";

type Plan = Item<"/api/v1/backup-plans">;

/**
 * A cron expression in words for the common shapes ("every day at 03:00", "every hour at :15",
 * "every Monday at 02:30"), else the expression itself; then the time zone.
 */
export function scheduleWords(schedule: string | null, timeZone: string): string {
  if (!schedule) return "only when run";
  return `${cronWords(schedule) ?? schedule} (${timeZone})`;
}

export function retentionWords(retention: Plan["retention"]): string {
  if ("keepLast" in retention) return `keep the last ${retention.keepLast}`;
  const g = retention.gfs;
  const parts = [
    [g.hourly, "hourly"],
    [g.daily, "daily"],
    [g.weekly, "weekly"],
    [g.monthly, "monthly"],
    [g.yearly, "yearly"],
  ].flatMap(([n, what]) => (Number(n) > 0 ? [`${n} ${what}`] : []));
  return `keep ${parts.join(", ")}`;
}

export const ENCRYPTION_WORDS: Record<string, string> = {
  none: "not encrypted",
  panel: "encrypted with a key pair kept by the panel",
  recipients: "encrypted for your own public keys",
};
