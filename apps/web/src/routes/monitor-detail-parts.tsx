// The parts of a monitor's page: its state badge, its uptime over four ranges, its response
// times and uptime bars (GET /api/v1/monitors/{id}/series), its recent results.
import { useQuery } from "@tanstack/react-query";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { ResponseChart } from "../components/response-chart.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { UptimeBars } from "../components/uptime-bars.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { formatDuration } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { BackLink } from "./access-parts.tsx";
import { When } from "./hosting-parts.tsx";

export type MonitorInfo = Schema<"/api/v1/monitors/{id}", "get">;
type Range = "24h" | "7d" | "30d" | "90d";
const RANGES: { range: Range; label: string }[] = [
  { range: "24h", label: "24 hours" },
  { range: "7d", label: "7 days" },
  { range: "30d", label: "30 days" },
  { range: "90d", label: "90 days" },
];
const REFRESH_MS = 60_000;

export function MonitorsBackLink() {
  return <BackLink to="/monitors" label="Monitors" />;
}

const STATE_TONES: Record<string, BadgeTone> = {
  up: "ok",
  degraded: "warn",
  down: "danger",
  pending: "neutral",
};

export function MonitorStateBadge({ monitor }: { monitor: MonitorInfo }) {
  if (monitor.paused) return <Badge tone="neutral">paused</Badge>;
  return <Badge tone={STATE_TONES[monitor.state] ?? "neutral"}>{monitor.state}</Badge>;
}

export function useSeries(id: string, range: Range) {
  return useQuery({
    queryKey: ["monitor", id, "series", range],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/monitors/{id}/series", {
          params: { path: { id }, query: { range } },
        }),
      ),
    refetchInterval: REFRESH_MS,
  });
}

function RangeUptime({ id, range, label }: { id: string; range: Range; label: string }) {
  const series = useSeries(id, range);
  const uptime = series.data?.uptime ?? null;
  return (
    <div className="grid gap-0.5 rounded-md border border-border p-3">
      <dt className="text-xs text-fg-muted">Uptime, {label}</dt>
      <dd className="text-xl font-semibold tabular-nums">
        {series.isPending ? "…" : uptime === null ? "—" : `${uptime}%`}
      </dd>
      <dd className="text-xs text-fg-muted">{series.data ? `${series.data.checks} checks` : ""}</dd>
    </div>
  );
}

export function UptimeSummary({ id }: { id: string }) {
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {RANGES.map((r) => (
        <RangeUptime key={r.range} id={id} {...r} />
      ))}
    </dl>
  );
}

export function HistoryCard({ id }: { id: string }) {
  const day = useSeries(id, "24h");
  const quarter = useSeries(id, "90d");
  return (
    <Card title="History">
      <div className="grid gap-6">
        <section className="grid gap-2" aria-label="Response time, last 24 hours">
          <h3 className="text-sm font-medium">Response time, last 24 hours (10-minute buckets)</h3>
          {day.data ? (
            <ResponseChart buckets={day.data.buckets} label="Response time, last 24 hours" />
          ) : (
            <p className="text-sm text-fg-muted">Loading…</p>
          )}
        </section>
        <section className="grid gap-2" aria-label="Uptime, last 90 days">
          <h3 className="text-sm font-medium">Uptime, last 90 days</h3>
          {quarter.data ? (
            <UptimeBars buckets={quarter.data.buckets} label="Uptime, last 90 days" dayOnly />
          ) : (
            <p className="text-sm text-fg-muted">Loading…</p>
          )}
        </section>
      </div>
    </Card>
  );
}

type Result = Schema<"/api/v1/monitors/{id}/results", "get">["items"][number];
const OUTCOME_TONES: Record<Result["outcome"], BadgeTone> = {
  up: "ok",
  degraded: "warn",
  down: "danger",
};

export function ResultsCard({ id }: { id: string }) {
  const paged = usePaged(
    ["monitor", id, "results"],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/monitors/{id}/results", {
          params: { path: { id }, query: { cursor, limit: Math.min(limit, 10) } },
        }),
      ),
    { refetchInterval: 15_000 },
  );
  return (
    <ListCard
      title="Recent results"
      label="Recent results"
      paged={paged}
      rowKey={(r) => r.at}
      empty={<EmptyState title="No checks yet." />}
      columns={[
        { header: "Checked", cell: (r) => <When iso={r.at} /> },
        {
          header: "Outcome",
          cell: (r) => <Badge tone={OUTCOME_TONES[r.outcome]}>{r.outcome}</Badge>,
        },
        {
          header: "Response",
          cell: (r) => <span className="tabular-nums">{formatDuration(r.responseMs)}</span>,
        },
        {
          header: "Message",
          wide: true,
          cell: (r) => <span className="wrap-anywhere">{r.message ?? ""}</span>,
        },
      ]}
    />
  );
}
