// Retention (issue 15): which artifacts of one destination to keep and which to delete, as a pure
// function of the artifacts, the plan's policy and the time. Keep-last N keeps the newest N good
// artifacts; GFS keeps, for each granularity, the newest good artifact of each of the last N
// periods (hours, days, ISO weeks, months, years in the plan's time zone) that have one, as
// restic's and borg's --keep-hourly/daily/… do: every rule counts on its own, an artifact kept
// by one rule also fills its period of the others. Only good artifacts count; one that is not
// good (its copy failed a check) is deleted, and the newest good artifact is never deleted, so
// the only good copy always stays. Artifacts dated after `now` (a clock ahead) are kept.
export type RetentionPolicy =
  | { keepLast: number }
  | { gfs: { hourly: number; daily: number; weekly: number; monthly: number; yearly: number } };

export interface RetainedArtifact {
  id: string;
  /** epoch ms */
  createdAt: number;
  /** a complete copy (not one that failed a check) */
  good: boolean;
}

export interface Retention {
  keep: string[];
  delete: string[];
}

type Granularity = "hourly" | "daily" | "weekly" | "monthly" | "yearly";

/** The calendar parts of an instant in a time zone. */
function partsIn(formatter: Intl.DateTimeFormat, at: number) {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(at))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
  };
}

/** ISO-8601 week-numbering year and week of a calendar date. */
export function isoWeek(year: number, month: number, day: number): [number, number] {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7; // Monday 1 … Sunday 7
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of its week
  const weekYear = date.getUTCFullYear();
  const first = Date.UTC(weekYear, 0, 1);
  return [weekYear, Math.floor((date.getTime() - first) / 86_400_000 / 7) + 1];
}

function periodKeys(timeZone: string) {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    hourCycle: "h23",
  });
  return (at: number): Record<Granularity, string> => {
    const { year, month, day, hour } = partsIn(formatter, at);
    const [weekYear, week] = isoWeek(year, month, day);
    return {
      hourly: `${year}-${month}-${day}T${hour}`,
      daily: `${year}-${month}-${day}`,
      weekly: `${weekYear}-W${week}`,
      monthly: `${year}-${month}`,
      yearly: `${year}`,
    };
  };
}

export function retain(
  artifacts: readonly RetainedArtifact[],
  policy: RetentionPolicy,
  now: number,
  timeZone = "UTC",
): Retention {
  const newestFirst = [...artifacts].sort(
    (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1),
  );
  const keep = new Set<string>();
  const counted = newestFirst.filter((a) => {
    if (a.createdAt > now) keep.add(a.id);
    return a.good && a.createdAt <= now;
  });
  if ("keepLast" in policy) for (const a of counted.slice(0, policy.keepLast)) keep.add(a.id);
  else {
    const keys = periodKeys(timeZone);
    const periods = counted.map((a) => ({ id: a.id, key: keys(a.createdAt) }));
    for (const [granularity, count] of Object.entries(policy.gfs) as [Granularity, number][]) {
      const seen = new Set<string>();
      for (const { id, key } of periods) {
        if (seen.size >= count) break;
        if (seen.has(key[granularity])) continue;
        seen.add(key[granularity]);
        keep.add(id);
      }
    }
  }
  const newestGood = counted[0];
  if (newestGood) keep.add(newestGood.id);
  return {
    keep: newestFirst.filter((a) => keep.has(a.id)).map((a) => a.id),
    delete: newestFirst.filter((a) => !keep.has(a.id)).map((a) => a.id),
  };
}
