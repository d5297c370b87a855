// Uptime bars (as Uptime Kuma draws them): one bar per bucket of a monitor's series, its colour
// the bucket's uptime, a tooltip with the percentage and the time, and the same in words for
// screen readers.
import { cn } from "../lib/cn.ts";
import { formatDateTime } from "../lib/format.ts";

export interface UptimeBucket {
  start: string;
  checks: number;
  uptime: number | null;
}

/** the bar's colour: grey without checks, green when all were up, amber above 95 %, else red */
export function uptimeTone(uptime: number | null): string {
  if (uptime === null) return "bg-border";
  if (uptime >= 100) return "bg-ok";
  return uptime >= 95 ? "bg-warn" : "bg-danger";
}

export const formatUptime = (uptime: number | null) =>
  uptime === null ? "no checks" : `${Math.round(uptime * 100) / 100}% up`;

export function UptimeBars({
  buckets,
  label,
  dayOnly = false,
}: {
  buckets: UptimeBucket[];
  /** names the bars for screen readers, e.g. "Uptime, last 90 days" */
  label: string;
  /** buckets are days: their time says the date only */
  dayOnly?: boolean;
}) {
  const when = (iso: string) =>
    dayOnly
      ? new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" })
      : formatDateTime(iso);
  const down = buckets.filter((b) => b.uptime !== null && b.uptime < 100).length;
  return (
    <figure className="grid gap-1">
      <figcaption className="sr-only">
        {label}: {buckets.length} bars, {down} with failed checks.
      </figcaption>
      <ol className="flex h-8 items-stretch gap-px" aria-label={label}>
        {buckets.map((b) => (
          <li
            key={b.start}
            title={`${when(b.start)}: ${formatUptime(b.uptime)}${b.checks ? ` (${b.checks} checks)` : ""}`}
            className={cn("min-w-0.5 flex-1 rounded-sm", uptimeTone(b.uptime))}
          >
            <span className="sr-only">
              {when(b.start)}: {formatUptime(b.uptime)}
            </span>
          </li>
        ))}
      </ol>
      <div className="flex justify-between text-xs text-fg-muted" aria-hidden="true">
        <span>{buckets[0] ? when(buckets[0].start) : ""}</span>
        <span>now</span>
      </div>
    </figure>
  );
}
