// The dashboard's answer to "are my servers and sites OK": nodes by state, each with its load,
// CPU, memory and disk and a sparkline of its last 24 hours; sites by status with the failing
// ones first; and the places of the capabilities still to come.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { cn } from "../lib/cn.ts";
import { formatDomain } from "../lib/format.ts";
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

function StateCounts<S extends string>({
  label,
  states,
  counts,
  to,
  bad,
}: {
  label: string;
  states: readonly S[];
  counts: Record<S, number>;
  to: "/nodes" | "/sites";
  bad: S;
}) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label={label}>
      {states.map((s) => (
        <li key={s}>
          <Link
            to={to}
            search={to === "/nodes" ? { state: s } : { status: s }}
            className={cn(
              "inline-flex items-baseline gap-1.5 rounded-md border border-border px-2.5 py-1 text-sm hover:bg-muted",
              s === bad && counts[s] > 0 && "border-danger/60 bg-danger/10",
            )}
          >
            <span className="font-semibold tabular-nums">{counts[s]}</span>
            <span className="text-fg-muted">{s}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function NodeRow({ node }: { node: NodeSummary }) {
  const metrics = useNodeMetrics(node.id, node.health !== null);
  const load = (metrics.data?.points ?? []).map((p) => p.load1);
  return (
    <li className="grid gap-1 border-b border-border pb-3 last:border-0 last:pb-0">
      <div className="flex flex-wrap items-center gap-2">
        <RecordLink to="/nodes/$id" id={node.id} className="break-all">
          {node.name}
        </RecordLink>
        <NodeStateBadge state={node.state} />
        {node.health?.os ? <span className="text-xs text-fg-muted">{node.health.os}</span> : null}
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <HealthLine health={node.health} />
        {node.health ? <Sparkline values={load} label={`Load of ${node.name}`} /> : null}
      </div>
    </li>
  );
}

/** A card whose header links to the whole list. */
function ListCard({ to, children }: { to: "/nodes" | "/sites"; children: ReactNode }) {
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
      {children}
    </Card>
  );
}

export function NodesHealth({ nodes }: { nodes: NonNullable<Dashboard["nodes"]> }) {
  const shown = nodes.items.slice(0, SHOWN_NODES);
  return (
    <ListCard to="/nodes">
      <div className="grid gap-4">
        <StateCounts
          label="Nodes by state"
          states={NODE_STATES}
          counts={nodes.byState}
          to="/nodes"
          bad="unreachable"
        />
        {shown.length ? (
          <ul className="grid gap-3" aria-label="Node health">
            {shown.map((n) => (
              <NodeRow key={n.id} node={n} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">No nodes yet: add one on the Nodes page.</p>
        )}
      </div>
    </ListCard>
  );
}

export function SitesStatus({ sites }: { sites: Dashboard["sites"] }) {
  return (
    <ListCard to="/sites">
      <div className="grid gap-4">
        <StateCounts
          label="Sites by status"
          states={SITE_STATUSES}
          counts={sites.byStatus}
          to="/sites"
          bad="failed"
        />
        {sites.attention.length ? (
          <ul className="grid gap-3" aria-label="Sites needing attention">
            {sites.attention.map((s) => (
              <li key={s.id} className="grid gap-1 border-b border-border pb-3 last:border-0">
                <div className="flex flex-wrap items-center gap-2">
                  <RecordLink to="/sites/$id" id={s.id} className="break-all">
                    {s.domains[0] ? formatDomain(s.domains[0], s.domainsUnicode[0]) : s.id}
                  </RecordLink>
                  <SiteStatusBadge status={s.status} />
                  {s.status !== "failed" && s.warning ? <Badge tone="warn">warning</Badge> : null}
                </div>
                <p className="text-sm wrap-anywhere text-fg-muted">
                  {shorten((s.status === "failed" ? s.lastError : s.warning) ?? "", 200)}
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-fg-muted">Every site applied as configured.</p>
        )}
      </div>
    </ListCard>
  );
}

const upcoming = [
  {
    title: "Certificates",
    text: "TLS certificates and their renewals, coming with HTTPS for sites.",
  },
  { title: "Backups", text: "The last backup of each site and database, coming with backups." },
  { title: "Monitors", text: "Uptime checks of your sites, coming with monitoring." },
];

export function UpcomingSlots() {
  return (
    <ul className="grid gap-3 sm:grid-cols-3" aria-label="Coming later">
      {upcoming.map((u) => (
        <li key={u.title} className="rounded-lg border border-dashed border-border p-4">
          <p className="font-medium">{u.title}</p>
          <p className="text-sm text-fg-muted">{u.text}</p>
        </li>
      ))}
    </ul>
  );
}
