// One CMS site (docs/cms.md): its versions as the connector last told them, its plugins and
// themes with their update state (cms-site-extensions.tsx: an offered update applied from here,
// as a task), and its connection diagnosis with each problem's fix; diagnose and refresh again;
// its update policy and history (cms-site-policy.tsx); and a Tools tab (cms-site-tools.tsx).
// Actions show only to those the site's `can` allows.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { ActionsWithError } from "../components/confirm-button.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { DetailPage } from "./access-parts.tsx";
import {
  type CmsDiagnosis,
  type CmsSite,
  ConnectionBadge,
  cmsKeys,
  UpdatesBadge,
  useCmsSite,
} from "./cms-parts.tsx";
import { ExtensionsCard } from "./cms-site-extensions.tsx";
import { HostedRows } from "./cms-site-hosting.tsx";
import { HistoryCard, SitePolicyCard } from "./cms-site-policy.tsx";
import { SiteTools } from "./cms-site-tools.tsx";
import { CodeRow, Row, Rows, When } from "./hosting-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/cms-sites/$id");

export function CmsSiteDetailPage() {
  const { id } = route.useParams();
  const query = useCmsSite(id);
  const [task, setTask] = useState<string | null>(null);
  const [tab, setTab] = useState<"overview" | "tools">("overview");
  return (
    <DetailPage
      query={query}
      back={{ to: "/cms-sites", label: "CMS sites" }}
      header={(site) => ({
        title: site.name,
        description: site.url,
        actions: site.can.refresh ? <SiteActions site={site} onTask={setTask} /> : null,
      })}
    >
      {(site) => (
        <div className="grid gap-4">
          <div
            role="tablist"
            aria-label="Site sections"
            className="flex gap-1 border-b border-border"
          >
            {(["overview", "tools"] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-fg-muted aria-selected:border-primary aria-selected:text-fg"
                onClick={() => setTab(t)}
              >
                {t === "overview" ? "Overview" : "Tools"}
              </button>
            ))}
          </div>
          {tab === "tools" ? (
            <SiteTools site={site} />
          ) : (
            <Overview site={site} task={task} onTask={setTask} />
          )}
        </div>
      )}
    </DetailPage>
  );
}

function Overview({
  site,
  task,
  onTask,
}: {
  site: CmsSite;
  task: string | null;
  onTask: (id: string) => void;
}) {
  return (
    <div className="grid gap-4">
      {task ? (
        <p className="text-sm">
          Started task{" "}
          <RecordLink to="/tasks/$id" id={task} className="font-mono">
            {task}
          </RecordLink>
          ; this page follows it.
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <VersionsCard site={site} />
        <DiagnosisCard diagnosis={site.diagnosis} />
      </div>
      <ExtensionsCard site={site} onTask={onTask} />
      <div className="grid gap-4 lg:grid-cols-2">
        <SitePolicyCard site={site} />
        <HistoryCard siteId={site.id} />
      </div>
    </div>
  );
}

function SiteActions({ site, onTask }: { site: CmsSite; onTask: (id: string) => void }) {
  const path = { params: { path: { id: site.id } } };
  const diagnose = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/cms-sites/{id}/diagnose", path)),
    { invalidate: [cmsKeys.one(site.id)] },
  );
  const refresh = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/cms-sites/{id}/refresh", path)),
    { invalidate: [cmsKeys.one(site.id)], onSuccess: (out) => onTask(out.taskId) },
  );
  return (
    <ActionsWithError error={diagnose.error ?? refresh.error}>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" busy={diagnose.isPending} onClick={() => diagnose.mutate()}>
          Diagnose
        </Button>
        <Button busy={refresh.isPending} onClick={() => refresh.mutate()}>
          Check for updates
        </Button>
      </div>
    </ActionsWithError>
  );
}

function VersionsCard({ site }: { site: CmsSite }) {
  const accountName = useAccountName();
  const info = site.info;
  return (
    <Card title="Versions">
      <Rows>
        <Row label="Account">{accountName(site.accountId)}</Row>
        <Row label="WordPress">
          <span className="flex flex-wrap items-center gap-2">
            {info?.core ?? "—"}
            {info?.coreUpdate ? <Badge tone="warn">{info.coreUpdate} offered</Badge> : null}
          </span>
        </Row>
        <Row label="PHP">{info?.php ?? "—"}</Row>
        <Row label="Database">{info?.database ?? "—"}</Row>
        <Row label="Connector">{info?.connector ?? "—"}</Row>
        <Row label="Time zone">{site.timezone}</Row>
        {site.hosted ? <HostedRows hosted={site.hosted} /> : null}
        <CodeRow label="User" value={site.username} />
        <Row label="Updates">
          <UpdatesBadge site={site} />
        </Row>
        <Row label="Refreshed">
          <When iso={site.refreshedAt} never="never" />
        </Row>
        {site.refreshError ? (
          <Row label="Last refresh">
            <span className="text-danger">{site.refreshError}</span>
          </Row>
        ) : null}
      </Rows>
    </Card>
  );
}

function DiagnosisCard({ diagnosis }: { diagnosis: CmsDiagnosis | null }) {
  return (
    <Card title="Connection" actions={<ConnectionBadge diagnosis={diagnosis} />}>
      {!diagnosis ? (
        <p className="text-sm text-fg-muted">Not diagnosed yet.</p>
      ) : diagnosis.problems.length === 0 ? (
        <p className="text-sm">
          The REST API, the application password and the connector all answer (checked{" "}
          <When iso={diagnosis.checkedAt} />
          ).
        </p>
      ) : (
        <ul className="grid gap-3">
          {diagnosis.problems.map((p) => (
            <li key={p.code} className="grid gap-1 text-sm">
              <span className="flex flex-wrap items-center gap-2">
                <Badge tone={p.severity === "error" ? "danger" : "warn"}>{p.code}</Badge>
                <span className="font-medium">{p.message}</span>
              </span>
              <span>
                <span className="text-fg-muted">Fix: </span>
                {p.fix}
              </span>
              <span className="font-mono text-xs text-fg-muted">{p.docs}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
