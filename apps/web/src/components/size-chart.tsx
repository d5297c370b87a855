// Sizes over time in hand-drawn SVG (like the monitors' charts): a line with the area under
// it for a database's measurements, or a bar per day for an account's sums.
import { formatBytes, formatDateTime } from "../lib/format.ts";

const WIDTH = 720;
const HEIGHT = 140;
const PAD = 6;
/** at least this many bar slots, so a few days stay narrow bars on the right */
const SLOTS = 30;

interface SizePoint {
  at: string;
  sizeBytes: number;
  /** said after the size in a bar's title (an account's mail: its messages and mailboxes) */
  note?: string;
}

/** Each point as a bar from the bottom, newest on the right (an account's days). */
function Bars({ points, top, when }: { points: SizePoint[]; top: number; when: Format }) {
  const slots = Math.max(SLOTS, points.length);
  const step = WIDTH / slots;
  return points.map((p, i) => {
    const height = (p.sizeBytes / top) * (HEIGHT - PAD);
    return (
      <rect
        key={p.at}
        x={(slots - points.length + i) * step + step * 0.15}
        y={HEIGHT - height}
        width={step * 0.7}
        height={height}
        className="fill-primary"
        opacity={0.7}
      >
        <title>{`${when(p.at)}: ${formatBytes(p.sizeBytes)}${p.note ? `, ${p.note}` : ""}`}</title>
      </rect>
    );
  });
}

/** The points as a line with the area under it; one point is a level line. */
function Line({ points, top }: { points: SizePoint[]; top: number }) {
  const shown = points.length === 1 && points[0] ? [points[0], points[0]] : points;
  const step = (WIDTH - 2 * PAD) / Math.max(1, shown.length - 1);
  const xy = shown.map((p, i) => ({
    x: PAD + i * step,
    y: HEIGHT - PAD - (p.sizeBytes / top) * (HEIGHT - 2 * PAD),
  }));
  const line = xy.map((p, i) => `${i ? "L" : "M"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("");
  const area = `${line}L${xy.at(-1)?.x.toFixed(1)},${HEIGHT}L${xy[0]?.x.toFixed(1)},${HEIGHT}Z`;
  return (
    <>
      <path d={area} className="fill-primary" opacity={0.15} />
      <path
        d={line}
        fill="none"
        className="stroke-primary"
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </>
  );
}

type Format = (iso: string | undefined) => string;
const formatDay: Format = (iso) => (iso ? iso.slice(0, 10) : "");

/**
 * Sizes over time, oldest on the left, from zero to the largest: a line (a database's
 * measurements) or a bar per day (`days`: an account's sums). Its accessible name says the
 * first and last sizes and the largest.
 */
export function SizeChart({
  points,
  label,
  days,
  empty = "No sizes yet: the hourly task database.sizes measures every database.",
}: {
  points: SizePoint[];
  label: string;
  days?: boolean;
  /** what is said when there is no point yet */
  empty?: string;
}) {
  if (points.length === 0) return <p className="text-sm text-fg-muted">{empty}</p>;
  const when: Format = days ? formatDay : formatDateTime;
  const top = Math.max(1, ...points.map((p) => p.sizeBytes));
  const first = points[0];
  const last = points.at(-1);
  const summary = `${label}: ${formatBytes(first?.sizeBytes ?? 0)} on ${when(first?.at)}, ${formatBytes(last?.sizeBytes ?? 0)} on ${when(last?.at)}, at most ${formatBytes(top)}.`;
  return (
    <figure className="grid gap-2">
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="h-36 w-full rounded-md border border-border bg-bg"
      >
        {days ? <Bars points={points} top={top} when={when} /> : <Line points={points} top={top} />}
      </svg>
      <figcaption className="flex flex-wrap justify-between gap-2 text-xs text-fg-muted">
        <span>{days ? `${Math.max(SLOTS, points.length)} days ago` : when(first?.at)}</span>
        <span>top {formatBytes(top)}</span>
        <span>{when(last?.at)}</span>
      </figcaption>
    </figure>
  );
}
