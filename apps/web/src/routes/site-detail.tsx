// One site: its status and settings, the task applying its latest change (with its live log
// while it works), its task history, and edit / suspend / resume / delete.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError } from "../lib/errors.ts";
import { formatDomain } from "../lib/format.ts";
import { BackLink, DetailState } from "./access-parts.tsx";
import {
  AtRow,
  BUSY_REFRESH_MS,
  CodeRow,
  NodeLink,
  Row,
  Rows,
  type Site,
  SiteStatusBadge,
  siteBusy,
} from "./hosting-parts.tsx";
import { SiteActions } from "./site-actions.tsx";
import { SiteDnsCard } from "./site-dns.tsx";
import { KINDS } from "./site-form-parts.tsx";
import { SiteLayoutCard } from "./site-layout.tsx";
import { SitePhpCard } from "./site-php.tsx";
import { SiteProtectionCard } from "./site-protection.tsx";
import { LatestTask } from "./site-task.tsx";
import { TargetEventsCard } from "./target-events.tsx";
import { TargetTasksCard } from "./target-tasks.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/sites/$id");

const redirects: Record<string, string> = {
  none: "none",
  "to-www": "to www (the bare name redirects to www.)",
  "to-non-www": "to non-www (www. redirects to the bare name)",
};

export function SiteDetailPage() {
  const { id } = route.useParams();
  const query = useQuery({
    queryKey: ["site", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/sites/{id}", { params: { path: { id } } })),
    // while a task works on it, its status changes soon
    refetchInterval: (q) => (q.state.data && siteBusy(q.state.data) ? BUSY_REFRESH_MS : 15_000),
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  const back = <BackLink to="/sites" label="Sites" />;
  if (query.error instanceof ApiError && query.error.status === 404) {
    return (
      <>
        {back}
        <div className="rounded-lg border border-dashed border-border p-8 text-center">
          <EmptyState title="This site does not exist, or you may not see it.">
            A deleted site disappears once its task has removed it from the node.{" "}
            <Link to="/sites" className="text-primary underline">
              Back to the sites
            </Link>
          </EmptyState>
        </div>
      </>
    );
  }
  if (!query.data) return <DetailState query={query} back={back} />;
  return <SiteView site={query.data} back={back} />;
}

function SiteView({ site, back }: { site: Site; back: ReactNode }) {
  const accountName = useAccountName();
  const proxy = site.kind === "proxy";
  return (
    <>
      {back}
      <PageHeader
        title={site.domains[0] ? formatDomain(site.domains[0], site.domainsUnicode[0]) : site.id}
        description={
          <span>
            {KINDS.find((k) => k.value === site.kind)?.label ?? site.kind} site on{" "}
            <NodeLink id={site.nodeId} />
          </span>
        }
        actions={<SiteActions site={site} />}
      />
      <div className="grid gap-4">
        {site.status === "deleting" ? (
          <Alert>
            Being deleted: the site disappears from here once its task has removed it from the node.
          </Alert>
        ) : null}
        {site.lastError ? (
          <Alert tone="error">
            <p className="font-medium">
              {site.status === "failed" ? "The last change failed" : "The last attempt failed"}
            </p>
            <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{site.lastError}</p>
          </Alert>
        ) : null}
        {site.warning ? (
          <Alert className="border-warn/50 bg-warn/10">
            <p className="font-medium">The site is active, with a warning</p>
            <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{site.warning}</p>
          </Alert>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title="Site">
            <Rows>
              <Row label="Status">
                <span className="flex flex-wrap gap-1">
                  <SiteStatusBadge status={site.status} />
                  {site.suspended && site.status !== "suspended" ? (
                    <Badge tone="warn">suspended</Badge>
                  ) : null}
                </span>
              </Row>
              <Row label="Names">
                <ul className="grid gap-0.5">
                  {site.domains.map((d, i) => (
                    <li key={d} className="break-all">
                      {formatDomain(d, site.domainsUnicode[i])}
                      {i === 0 ? <span className="text-fg-muted"> (primary)</span> : null}
                    </li>
                  ))}
                </ul>
              </Row>
              <Row label="Aliases">
                {site.aliases.length ? (
                  <span className="break-all">
                    {site.aliases.map((a, i) => formatDomain(a, site.aliasesUnicode[i])).join(", ")}
                  </span>
                ) : (
                  <span className="text-fg-muted">none</span>
                )}
              </Row>
              <Row label="www redirect">{redirects[site.redirect] ?? site.redirect}</Row>
              <Row label="Kind">
                {site.kind}
                <span className="text-fg-muted">
                  {" "}
                  ({KINDS.find((k) => k.value === site.kind)?.hint ?? "unknown"})
                </span>
              </Row>
              <Row label="Node">
                <NodeLink id={site.nodeId} />
              </Row>
              {proxy ? (
                <CodeRow label="Upstream" value={site.upstream ?? "—"} />
              ) : (
                <CodeRow label="Document root" value={site.root} />
              )}
              {site.kind === "php" ? (
                <Row label="PHP processes">
                  {site.phpAllowExec ? "allowed (exec, shell_exec, proc_open…)" : "not allowed"}
                </Row>
              ) : null}
              <Row label="System user">
                <span className="font-mono text-xs">{site.systemUser}</span>
              </Row>
              <Row label="Account">{accountName(site.accountId)}</Row>
              <AtRow label="Created" iso={site.createdAt} />
              <AtRow label="Updated" iso={site.updatedAt} />
              <CodeRow label="Id" value={site.id} />
            </Rows>
          </Card>
          <Card title="Latest change">
            {site.taskId ? (
              <LatestTask taskId={site.taskId} shownError={site.lastError} />
            ) : (
              <p className="text-sm text-fg-muted">No change has been applied yet.</p>
            )}
          </Card>
        </div>
        {proxy ? null : (
          <div className="grid gap-4 lg:grid-cols-2">
            <SiteLayoutCard site={site} />
            <SiteProtectionCard site={site} />
            {site.kind === "php" ? <SitePhpCard site={site} /> : null}
          </div>
        )}
        <SiteDnsCard site={site} />
        <TargetEventsCard target={site.id} empty="Nothing has happened to this site yet." />
        <TargetTasksCard target={`site:${site.id}`} title="Task history" empty="No tasks yet." />
      </div>
    </>
  );
}
