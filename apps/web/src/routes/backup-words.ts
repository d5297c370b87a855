// A plan's schedule, retention and encryption in words.
import type { Item } from "../lib/api.ts";

type Plan = Item<"/api/v1/backup-plans">;

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const two = (n: string) => n.padStart(2, "0");
const isNumber = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s);

/**
 * A cron expression in words for the common shapes ("every day at 03:00", "every hour at :15",
 * "every Monday at 02:30"), else the expression itself; then the time zone.
 */
export function scheduleWords(schedule: string | null, timeZone: string): string {
  if (!schedule) return "only when run";
  const named: Record<string, string> = {
    "@hourly": "every hour",
    "@daily": "every day at 00:00",
    "@midnight": "every day at 00:00",
    "@weekly": "every Sunday at 00:00",
    "@monthly": "on the 1st of every month at 00:00",
    "@yearly": "every 1 January at 00:00",
    "@annually": "every 1 January at 00:00",
  };
  const fields = schedule.trim().split(/\s+/);
  let words = named[schedule.trim()] ?? null;
  if (!words && fields.length === 5) {
    const [min, hour, dom, mon, dow] = fields;
    const at = isNumber(hour) && isNumber(min) ? `at ${two(hour)}:${two(min)}` : null;
    if (isNumber(min) && hour === "*" && dom === "*" && mon === "*" && dow === "*")
      words = `every hour at :${two(min)}`;
    else if (at && dom === "*" && mon === "*" && dow === "*") words = `every day ${at}`;
    else if (at && dom === "*" && mon === "*" && isNumber(dow) && DAYS[Number(dow) % 7])
      words = `every ${DAYS[Number(dow) % 7]} ${at}`;
    else if (at && isNumber(dom) && mon === "*" && dow === "*")
      words = `on day ${dom} of every month ${at}`;
  }
  return `${words ?? schedule} (${timeZone})`;
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
