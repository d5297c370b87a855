// How the console writes dates, durations, counts and sizes.
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** A day of a date input (YYYY-MM-DD, local time) as the instant it starts, shifted by days. */
export function dayStart(day: string | undefined, plusDays = 0): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "—" : dateTime.format(d);
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, "second");
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A domain name as people read it: its Unicode form with the ASCII one nginx and DNS use
 * beside it when they differ ("bücher.example (xn--bcher-kva.example)"), so a look-alike
 * name never hides behind its display.
 */
export function formatDomain(ascii: string, unicode: string | undefined): string {
  return unicode && unicode !== ascii ? `${unicode} (${ascii})` : ascii;
}

/**
 * A count as the API gives it: counts stop at the answer's countLimit + 1, which means "more
 * than countLimit" and reads "1,000+".
 */
export function formatCount(n: number, countLimit: number): string {
  return n > countLimit ? `${countLimit.toLocaleString("en")}+` : String(n);
}

const units = ["B", "KB", "MB", "GB", "TB", "PB"];

/** A size in bytes in the largest unit under 1024 of it: "512 B", "1.5 MB", "12 GB". */
export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
