// A cron expression in words for the common shapes, shared by backup plans and cron jobs.

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const two = (n: string) => n.padStart(2, "0");
const isNumber = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s);

const NAMED: Record<string, string> = {
  "@hourly": "every hour",
  "@daily": "every day at 00:00",
  "@midnight": "every day at 00:00",
  "@weekly": "every Sunday at 00:00",
  "@monthly": "on the 1st of every month at 00:00",
  "@yearly": "every 1 January at 00:00",
  "@annually": "every 1 January at 00:00",
};

/**
 * "every day at 03:00", "every hour at :15", "every Monday at 02:30", "every 5 minutes"…, or
 * null when the expression is not one of these shapes.
 */
export function cronWords(schedule: string): string | null {
  const named = NAMED[schedule.trim()];
  if (named) return named;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [min, hour, dom, mon, dow] = fields;
  const daily = dom === "*" && mon === "*" && dow === "*";
  const at = isNumber(hour) && isNumber(min) ? `at ${two(hour)}:${two(min)}` : null;
  if (min === "*" && hour === "*" && daily) return "every minute";
  const step = /^\*\/(\d+)$/.exec(min ?? "");
  if (step && hour === "*" && daily) return `every ${step[1]} minutes`;
  if (isNumber(min) && hour === "*" && daily) return `every hour at :${two(min)}`;
  if (at && daily) return `every day ${at}`;
  if (at && dom === "*" && mon === "*" && isNumber(dow) && DAYS[Number(dow) % 7])
    return `every ${DAYS[Number(dow) % 7]} ${at}`;
  if (at && isNumber(dom) && mon === "*" && dow === "*")
    return `on day ${dom} of every month ${at}`;
  return null;
}
