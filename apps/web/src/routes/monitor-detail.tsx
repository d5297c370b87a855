// One monitor: its state and target, its uptime over 24 hours to 90 days, its response times
// (p50/p95, failed checks shaded) and 90 days of uptime bars, its recent results and events;
// pause or resume it, check it now, delete it (after a confirmation).
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Pause, Play, RefreshCw, Trash2 } from "lucide-react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { PageHeader } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDuration } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { DetailState, useDeleted } from "./access-parts.tsx";
import { AtRow, CodeRow, Row, Rows, useNodeName, When } from "./hosting-parts.tsx";
import {
  HistoryCard,
  type MonitorInfo,
  MonitorStateBadge,
  MonitorsBackLink,
  ResultsCard,
  UptimeSummary,
} from "./monitor-detail-parts.tsx";
import { TargetEventsCard } from "./target-events.tsx";

const route = getRouteApi("/app/monitors/$id");

export function MonitorDetailPage() {
  const { id } = route.useParams();
  // its state changes with every check: look again now and then
  const query = useQuery({
    queryKey: ["monitor", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/monitors/{id}", { params: { path: { id } } })),
    refetchInterval: 15_000,
  });
  const monitor = query.data;
  if (!monitor) return <DetailState query={query} back={<MonitorsBackLink />} />;
  return (
    <>
      <MonitorsBackLink />
      <PageHeader
        title={monitor.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <MonitorStateBadge monitor={monitor} />
            <span className="font-mono text-xs break-all">
              {monitor.target === monitor.kind
                ? monitor.kind
                : `${monitor.kind} · ${monitor.target}`}
            </span>
          </span>
        }
        actions={<MonitorActions monitor={monitor} />}
      />
      <div className="grid gap-4">
        {monitor.state === "down" && monitor.lastMessage ? (
          <Alert tone="error">
            <p className="font-medium">Down</p>
            <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{monitor.lastMessage}</p>
          </Alert>
        ) : null}
        <UptimeSummary id={monitor.id} />
        <HistoryCard id={monitor.id} />
        <div className="grid gap-4 lg:grid-cols-2">
          <StatusCard monitor={monitor} />
          <ResultsCard id={monitor.id} />
        </div>
        <TargetEventsCard target={monitor.id} empty="Nothing has happened to this monitor yet." />
      </div>
    </>
  );
}

function StatusCard({ monitor }: { monitor: MonitorInfo }) {
  return (
    <Card title="Status">
      <Rows>
        <Row label="State">
          <MonitorStateBadge monitor={monitor} />
        </Row>
        <Row label="Since">
          <When iso={monitor.stateSince} />
        </Row>
        <Row label="Last check">
          <When iso={monitor.lastCheckAt} never="not checked yet" />
        </Row>
        <Row label="Last response">{formatDuration(monitor.lastResponseMs)}</Row>
        <Row label="Every">
          {monitor.intervalSeconds} s, timeout {monitor.timeoutSeconds} s, {monitor.retries} retries
        </Row>
        <Row label="Checked from">
          <CheckedFrom monitor={monitor} />
        </Row>
        <AtRow label="Next check" iso={monitor.nextCheckAt} />
        <CodeRow label="Id" value={monitor.id} />
      </Rows>
    </Card>
  );
}

/** Its locations by name (the panel, nodes), and the quorum when there are several. */
function CheckedFrom({ monitor }: { monitor: MonitorInfo }) {
  const nodeName = useNodeName();
  const names = monitor.locations.map((l) => (l === "panel" ? "the panel" : nodeName(l)));
  const quorum =
    monitor.locations.length > 1 ? ` (down when ${monitor.quorum} of them see it down)` : "";
  return (
    <span>
      {names.join(", ")}
      {quorum}
    </span>
  );
}

function MonitorActions({ monitor }: { monitor: MonitorInfo }) {
  const path = { params: { path: { id: monitor.id } } };
  const opts = { invalidate: [["monitor", monitor.id], ["monitors"]] };
  const deleted = useDeleted();
  // one button: pause a running monitor, resume a paused one
  const toggle = useApiMutation(
    async () =>
      unwrap(
        monitor.paused
          ? await api.POST("/api/v1/monitors/{id}/resume", path)
          : await api.POST("/api/v1/monitors/{id}/pause", path),
      ),
    opts,
  );
  const check = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/monitors/{id}/check", path)),
    {
      ...opts,
      onSuccess: (r) =>
        toast(
          `Checked: ${r.outcome}${r.responseMs === null ? "" : ` in ${formatDuration(r.responseMs)}`}`,
        ),
    },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/monitors/{id}", path)),
    {
      invalidate: [["monitors"]],
      onSuccess: () => deleted("Monitor deleted", "/monitors"),
    },
  );
  return (
    <ActionsWithError error={toggle.error ?? check.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" busy={check.isPending} onClick={() => check.mutate(undefined)}>
          <RefreshCw className="h-4 w-4" aria-hidden="true" /> Check now
        </Button>
        <Button
          variant="secondary"
          busy={toggle.isPending}
          onClick={() => toggle.mutate(undefined)}
        >
          {monitor.paused ? (
            <Play className="h-4 w-4" aria-hidden="true" />
          ) : (
            <Pause className="h-4 w-4" aria-hidden="true" />
          )}{" "}
          {monitor.paused ? "Resume" : "Pause"}
        </Button>
        <ConfirmButton
          variant="danger"
          mutation={remove}
          confirm={{
            title: "Delete this monitor?",
            description: (
              <span className="wrap-anywhere">
                <strong>{monitor.name}</strong> stops being checked, and its results and history are
                deleted. Its past events stay in the event log.
              </span>
            ),
            confirmLabel: "Delete monitor",
          }}
        >
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}
