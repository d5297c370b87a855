// A node's health as the heartbeat measures it: load, CPU, memory and root disk now (a compact
// line for lists, cells for the node table) and over the last 24 hours (small SVG sparklines).
import { useQuery } from "@tanstack/react-query";
import { Card } from "../components/ui/card.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import type { NodeSummary } from "./hosting-parts.tsx";
import { Row, Rows, When } from "./hosting-parts.tsx";

type Health = NonNullable<NodeSummary["health"]>;
type Point = Schema<"/api/v1/nodes/{id}/metrics", "get">["points"][number];

/** past this share a percentage is drawn as a problem */
const HIGH = 90;

/** "42%", red when high. */
export function Percent({ value, label }: { value: number; label: string }) {
  return (
    <span
      className={cn("tabular-nums", value >= HIGH && "font-semibold text-danger")}
      title={`${label}: ${value}% used`}
    >
      {Math.round(value)}%
    </span>
  );
}

export const formatLoad = (h: Pick<Health, "load1" | "load5" | "load15">) =>
  [h.load1, h.load5, h.load15].map((l) => l.toFixed(2)).join(" / ");

/** The values as a line in a small box, scaled to `max` (or their own maximum). */
export function Sparkline({
  values,
  label,
  max,
}: {
  values: number[];
  label: string;
  max?: number;
}) {
  const width = 120;
  const height = 28;
  const top = Math.max(max ?? 0, ...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - (v / top) * (height - 2) - 1).toFixed(1)}`)
    .join(" ");
  const last = values.at(-1);
  return (
    <svg
      role="img"
      aria-label={`${label}, last 24 hours: ${values.length} points${last === undefined ? "" : `, now ${Math.round(last * 100) / 100}`}`}
      viewBox={`0 0 ${width} ${height}`}
      className="h-7 w-30 text-primary"
    >
      {values.length > 1 ? (
        <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
      ) : null}
    </svg>
  );
}

/** Load, memory and disk in one line (for a list), or "not measured yet". */
export function HealthLine({ health }: { health: Health | null }) {
  if (!health) return <span className="text-fg-muted">not measured yet</span>;
  return (
    <span className="flex flex-wrap gap-x-3 text-sm">
      <span>
        load <span className="tabular-nums">{formatLoad(health)}</span>
      </span>
      <span>
        CPU <Percent value={health.cpuPercent} label="CPU" />
      </span>
      <span>
        memory <Percent value={health.memoryPercent} label="Memory" />
      </span>
      <span>
        disk <Percent value={health.diskPercent} label="Root disk" />
      </span>
    </span>
  );
}

/** The node's last 24 hours, refreshed every minute. */
export function useNodeMetrics(id: string, enabled = true) {
  return useQuery({
    queryKey: ["node", id, "metrics"],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/nodes/{id}/metrics", { params: { path: { id } } })),
    refetchInterval: 60_000,
    enabled,
  });
}

const series: { key: keyof Point & string; label: string; max?: number }[] = [
  { key: "load1", label: "Load (1 minute)" },
  { key: "cpuPercent", label: "CPU used", max: 100 },
  { key: "memoryPercent", label: "Memory used", max: 100 },
  { key: "diskPercent", label: "Root disk used", max: 100 },
];

export function HealthCard({ node }: { node: NodeSummary }) {
  const metrics = useNodeMetrics(node.id, node.state !== "pending");
  const points = metrics.data?.points ?? [];
  const h = node.health;
  return (
    <Card title="Health">
      {!h ? (
        <p className="text-sm text-fg-muted">
          Not measured yet: the heartbeat records the load, CPU, memory and disk of an enrolled node
          every 30 seconds.
        </p>
      ) : (
        <Rows>
          <Row label="Measured">
            <When iso={h.measuredAt} />
          </Row>
          <Row label="CPUs">{h.cpus}</Row>
          {series.map((s) => (
            <Row key={s.key} label={s.label}>
              <span className="flex flex-wrap items-center gap-3">
                <span className="min-w-16 tabular-nums">
                  {s.key === "load1"
                    ? formatLoad(h)
                    : `${Math.round(h[s.key as keyof Health] as number)}%`}
                </span>
                <Sparkline
                  values={points.map((p) => Number(p[s.key]))}
                  label={s.label}
                  max={s.max}
                />
              </span>
            </Row>
          ))}
        </Rows>
      )}
    </Card>
  );
}
