// A monitor's response times over a range: the p50 and p95 of each bucket as two lines, the
// buckets with failed checks shaded behind them (darker the more failed), hand-drawn SVG.
import { formatDateTime, formatDuration } from "../lib/format.ts";

export interface ResponseBucket {
  start: string;
  checks: number;
  up: number;
  degraded: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** p95 under p50: the median line stays on top */
const LINES = [
  { key: "p95Ms", className: "stroke-warn", width: 1.5, dash: "4 3" },
  { key: "p50Ms", className: "stroke-primary", width: 2, dash: undefined },
] as const;

const WIDTH = 720;
const HEIGHT = 160;
const PAD = 4;

/** The line through the buckets' values, broken where a bucket has none. */
function paths(values: (number | null)[], top: number): string {
  const step = WIDTH / Math.max(values.length, 1);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = (i + 0.5) * step;
    const y = HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD);
    d += `${pen ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return d;
}

export function ResponseChart({ buckets, label }: { buckets: ResponseBucket[]; label: string }) {
  const p50 = buckets.map((b) => b.p50Ms);
  const p95 = buckets.map((b) => b.p95Ms);
  const measured = p95.filter((v): v is number => v !== null);
  const top = Math.max(1, ...measured);
  const step = WIDTH / Math.max(buckets.length, 1);
  const failing = buckets.filter((b) => b.checks > b.up + b.degraded);
  const median = p50.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const summary = measured.length
    ? `${label}: median p50 ${formatDuration(median[Math.floor(median.length / 2)] ?? null)}, p95 up to ${formatDuration(top)}; ${failing.length} period(s) with failed checks.`
    : `${label}: no response times measured; ${failing.length} period(s) with failed checks.`;
  return (
    <figure className="grid gap-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-40 w-full rounded-md border border-border bg-bg"
      >
        {failing.map((b) => (
          <rect
            key={b.start}
            x={buckets.indexOf(b) * step}
            y={0}
            width={step}
            height={HEIGHT}
            className="fill-danger"
            opacity={0.15 + 0.35 * ((b.checks - b.up - b.degraded) / b.checks)}
          >
            <title>{`${formatDateTime(b.start)}: ${b.checks - b.up - b.degraded} of ${b.checks} checks failed`}</title>
          </rect>
        ))}
        {LINES.map((line) => (
          <path
            key={line.key}
            d={paths(
              buckets.map((b) => b[line.key]),
              top,
            )}
            fill="none"
            className={line.className}
            strokeWidth={line.width}
            strokeDasharray={line.dash}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      <figcaption className="flex flex-wrap justify-between gap-2 text-xs text-fg-muted">
        <span>{buckets[0] ? formatDateTime(buckets[0].start) : ""}</span>
        <span className="flex flex-wrap gap-3">
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="h-0.5 w-4 bg-primary" /> p50
          </span>
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="h-0.5 w-4 border-t-2 border-dashed border-warn" />{" "}
            p95
          </span>
          <span className="inline-flex items-center gap-1">
            <span aria-hidden="true" className="h-3 w-3 rounded-sm bg-danger/40" /> failed checks
          </span>
          <span>top {formatDuration(top)}</span>
        </span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
