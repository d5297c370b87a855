// A sparkline in plain SVG: response times as a line over the last checks (oldest on the
// left), each failed check a red bar from top to bottom, so a glance shows slow and down. Its
// accessible name says the same in words.
export interface SparkPoint {
  ok: boolean;
  ms: number | null;
}

const HEIGHT = 28;
const PAD = 2;

/** "12 checks, 1 down, 40–180 ms": what the picture shows, for those who cannot see it. */
export function sparkSummary(points: readonly SparkPoint[]): string {
  if (!points.length) return "no checks yet";
  const down = points.filter((p) => !p.ok).length;
  const times = points.flatMap((p) => (p.ok && p.ms !== null ? [p.ms] : []));
  const range = times.length ? `, ${Math.min(...times)}–${Math.max(...times)} ms` : "";
  return `${points.length} checks, ${down} down${range}`;
}

export function Sparkline({
  points,
  slots = 30,
  width = 120,
}: {
  points: readonly SparkPoint[];
  slots?: number;
  /** in pixels; the height stays 28 */
  width?: number;
}) {
  const step = (width - 2 * PAD) / Math.max(1, slots - 1);
  // right-aligned: the newest check is at the right edge however many there are
  const xOf = (index: number) => PAD + (slots - points.length + index) * step;
  const max = Math.max(1, ...points.map((p) => (p.ok ? (p.ms ?? 0) : 0)));
  const yOf = (ms: number) => HEIGHT - PAD - (ms / max) * (HEIGHT - 2 * PAD);
  const line = points.flatMap((p, index) =>
    p.ok && p.ms !== null ? [{ x: xOf(index), y: yOf(p.ms) }] : [],
  );
  const [only] = line;
  return (
    <svg
      role="img"
      aria-label={`Recent checks: ${sparkSummary(points)}`}
      data-checks={points.length}
      width={width}
      height={HEIGHT}
      viewBox={`0 0 ${width} ${HEIGHT}`}
      className="overflow-visible"
    >
      <line
        x1={PAD}
        x2={width - PAD}
        y1={HEIGHT - PAD}
        y2={HEIGHT - PAD}
        className="stroke-border"
        strokeWidth={1}
      />
      {points.map((p, index) =>
        p.ok ? null : (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: a check's place is its identity here
            key={index}
            data-down=""
            x={xOf(index) - 1.5}
            y={PAD}
            width={3}
            height={HEIGHT - 2 * PAD}
            className="fill-danger"
          />
        ),
      )}
      {line.length > 1 ? (
        <polyline
          points={line.map((xy) => `${xy.x},${xy.y}`).join(" ")}
          fill="none"
          className="stroke-primary"
          strokeWidth={1.5}
          strokeLinejoin="round"
        />
      ) : null}
      {line.length === 1 && only ? (
        <circle cx={only.x} cy={only.y} r={1.5} className="fill-primary" />
      ) : null}
    </svg>
  );
}
