// The dashboard's answer to "are my servers and sites OK": nodes by state, each with its load,
// CPU, memory and disk and a sparkline of its last 24 hours; sites by status with the failing
// ones first; and the places of the capabilities still to come.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { FeedList } from "../components/feed-list.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { cn } from "../lib/cn.ts";
import { formatCount, formatDomain } from "../lib/format.ts";
import type { Dashboard } from "./dashboard.tsx";
import {
  NODE_STATES,
  NodeStateBadge,
  type NodeSummary,
  SITE_STATUSES,
  SiteStatusBadge,
  shorten,
} from "./hosting-parts.tsx";
import { HealthLine, Sparkline, useNodeMetrics } from "./node-health.tsx";

/** nodes shown with their history on the dashboard */
const SHOWN_NODES = 10;

type ListTo = "/nodes" | "/sites";

/** What each dashboard card counts: its states, and the one that needs attention. */
const COUNTED = {
  "/nodes": { label: "Nodes by state", states: NODE_STATES, bad: "unreachable" },
  "/sites": { label: "Sites by status", states: SITE_STATUSES, bad: "failed" },
} as const;

function StateCounts({
  to,
  counts,
  limit,
}: {
  to: ListTo;
  counts: Record<string, number>;
  /** counts past it read "1,000+" */
  limit: number;
}) {
  const { label, states, bad } = COUNTED[to];
  return (
    <ul className="flex flex-wrap gap-2" aria-label={label}>
      {states.map((s) => (
        <li key={s}>
          <Link
            to={to}
            search={to === "/nodes" ? { state: s } : { status: s }}
            className={cn(
              "inline-flex items-baseline gap-1.5 rounded-md border border-border px-2.5 py-1 text-sm hover:bg-muted",
              s === bad && (counts[s] ?? 0) > 0 && "border-danger/60 bg-danger/10",
            )}
          >
            <span className="font-semibold tabular-nums">{formatCount(counts[s] ?? 0, limit)}</span>
            <span className="text-fg-muted">{s}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function NodeHealthLine({ node }: { node: NodeSummary }) {
  const metrics = useNodeMetrics(node.id, node.health !== null);
  const load = (metrics.data?.points ?? []).map((p) => p.load1);
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <HealthLine health={node.health} />
      {node.health ? <Sparkline values={load} label={`Load of ${node.name}`} /> : null}
    </div>
  );
}

/**
 * A card whose header links to the whole list: the counts by state, then the list, or a
 * sentence when it is empty.
 */
function ListCard({
  to,
  counts,
  limit,
  empty,
  children,
}: {
  to: ListTo;
  counts: Record<string, number>;
  limit: number;
  empty: string;
  /** the list, null when there is nothing to list */
  children: ReactNode;
}) {
  const what = to.slice(1);
  return (
    <Card
      title={`${what[0]?.toUpperCase()}${what.slice(1)}`}
      actions={
        <Link to={to} className="text-sm text-primary hover:underline">
          All {what}
        </Link>
      }
    >
      <div className="grid gap-4">
        <StateCounts to={to} counts={counts} limit={limit} />
        {children ?? <p className="text-sm text-fg-muted">{empty}</p>}
      </div>
    </Card>
  );
}

export function NodesHealth({
  nodes,
  countLimit,
}: {
  nodes: NonNullable<Dashboard["nodes"]>;
  countLimit: number;
}) {
  const shown = nodes.items.slice(0, SHOWN_NODES);
  return (
    <ListCard
      to="/nodes"
      counts={nodes.byState}
      limit={countLimit}
      empty="No nodes yet: add one on the Nodes page."
    >
      {shown.length ? (
        <FeedList
          label="Node health"
          items={shown}
          head={(n) => (
            <>
              <RecordLink to="/nodes/$id" id={n.id} className="break-all">
                {n.name}
              </RecordLink>
              <NodeStateBadge state={n.state} />
              {n.health?.os ? <span className="text-xs text-fg-muted">{n.health.os}</span> : null}
            </>
          )}
          body={(n) => <NodeHealthLine node={n} />}
        />
      ) : null}
    </ListCard>
  );
}

export function SitesStatus({
  sites,
  countLimit,
}: {
  sites: Dashboard["sites"];
  countLimit: number;
}) {
  return (
    <ListCard
      to="/sites"
      counts={sites.byStatus}
      limit={countLimit}
      empty="Every site applied as configured."
    >
      {sites.attention.length ? (
        <FeedList
          label="Sites needing attention"
          items={sites.attention}
          entryClassName="gap-1"
          head={(s) => (
            <>
              <RecordLink to="/sites/$id" id={s.id} className="break-all">
                {s.domains[0] ? formatDomain(s.domains[0], s.domainsUnicode[0]) : s.id}
              </RecordLink>
              <SiteStatusBadge status={s.status} />
              {s.status !== "failed" && s.warning ? <Badge tone="warn">warning</Badge> : null}
            </>
          )}
          body={(s) => (
            <p className="text-sm wrap-anywhere text-fg-muted">
              {shorten((s.status === "failed" ? s.lastError : s.warning) ?? "", 200)}
            </p>
          )}
        />
      ) : null}
    </ListCard>
  );
}

const upcoming = [
  {
    title: "Certificates",
    text: "TLS certificates and their renewals, coming with HTTPS for sites.",
  },
  { title: "Monitors", text: "Uptime checks of your sites, coming with monitoring." },
];

export function UpcomingSlots() {
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label="Coming later">
      {upcoming.map((u) => (
        <li key={u.title} className="rounded-lg border border-dashed border-border p-4">
          <p className="font-medium">{u.title}</p>
          <p className="text-sm text-fg-muted">{u.text}</p>
        </li>
      ))}
    </ul>
  );
}
