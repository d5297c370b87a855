// One backup run: its status in a word (partial and failed said plainly, with the error), the
// live progress of its task over server-sent events (the fraction, and the progress message:
// bytes read and the rate, bytes handed to each destination), the task's live log, then each
// destination's outcome (stored bytes and SHA-256, or its error) and the run's facts.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { RecordLink } from "../components/record-link.tsx";
import { Term } from "../components/term.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes, formatDuration } from "../lib/format.ts";
import { useTaskEvents } from "../lib/sse.ts";
import { DetailPage } from "./access-parts.tsx";
import {
  BackupLink,
  nameIn,
  type Run,
  RunStatusBadge,
  useDestinationOptions,
  usePlanOptions,
} from "./backup-parts.tsx";
import { At, NodeLink } from "./hosting-parts.tsx";
import { LogPanel } from "./tasks-log.tsx";
import { ProgressBar } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/runs/$id");
const GOING = ["queued", "running"];

export function BackupRunPage() {
  const { id } = route.useParams();
  const query = useQuery({
    queryKey: ["backup-runs", "one", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/backup-runs/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (GOING.includes(q.state.data?.status ?? "") ? 3_000 : false),
  });
  const plans = usePlanOptions();
  return (
    <DetailPage
      query={query}
      back={{ to: "/backups", label: "Backups" }}
      header={(run) => ({
        title: `Backup of ${run.description}`,
        description: (
          <span>
            Run of the plan{" "}
            <BackupLink to="/backups/plans/$id" id={run.planId}>
              {nameIn(plans.data, "plan")(run.planId)}
            </BackupLink>
          </span>
        ),
      })}
    >
      {(run) => (
        <div className="grid gap-4">
          <RunStatus run={run} />
          {run.taskId ? <LiveProgress run={run} taskId={run.taskId} /> : null}
          <Outcomes run={run} />
          <RunFacts run={run} />
        </div>
      )}
    </DetailPage>
  );
}

const STATUS_WORDS: Record<string, string> = {
  queued: "Waiting for its turn on the node.",
  running: "Backing up now.",
  succeeded: "Every destination has the artifact.",
  partial:
    "Partial: some destinations have the artifact and some do not (below). Retention deleted nothing.",
  failed: "Failed: no destination has the artifact.",
};

function RunStatus({ run }: { run: Run }) {
  const tone = run.status === "failed" ? "error" : run.status === "partial" ? "warn" : "info";
  return (
    <Alert tone={run.status === "succeeded" ? "ok" : tone}>
      <div className="flex flex-wrap items-center gap-2">
        <RunStatusBadge status={run.status} />
        <span className="font-medium">{STATUS_WORDS[run.status] ?? run.status}</span>
      </div>
      {run.error ? <p className="mt-2 wrap-anywhere whitespace-pre-line">{run.error}</p> : null}
    </Alert>
  );
}

/** The task's progress and log as they happen; the run is read again when the task ends. */
function LiveProgress({ run, taskId }: { run: Run; taskId: string }) {
  const queryClient = useQueryClient();
  const events = useTaskEvents(taskId);
  const task = useQuery({
    queryKey: ["task", taskId],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/tasks/{id}", { params: { path: { id: taskId } } })),
  });
  const ended = events.status === "ended";
  useEffect(() => {
    if (ended) void queryClient.invalidateQueries({ queryKey: ["backup-runs"] });
  }, [ended, queryClient]);
  const finished = !GOING.includes(run.status);
  const value =
    finished && run.status !== "failed"
      ? 1
      : (events.progress?.value ?? task.data?.progress ?? null);
  const message = events.progress?.message ?? task.data?.progressMessage ?? null;
  return (
    <>
      <Card title="Progress">
        <div className="grid gap-2">
          <ProgressBar value={value} label="Backup progress" />
          <p className="text-sm wrap-anywhere text-fg-muted" aria-live="polite">
            {message ??
              (run.status === "queued"
                ? "Not started yet."
                : "The first figures come after the first 4 MiB (bytes read, the rate, bytes per destination).")}
          </p>
          <p className="text-xs text-fg-muted">
            The fraction is the bytes read over what the last successful run of the same source
            read; the first run has none to compare with.{" "}
            <RecordLink to="/tasks/$id" id={taskId} className="font-normal underline">
              Open the task
            </RecordLink>
          </p>
        </div>
      </Card>
      <Card title="Log">
        <LogPanel events={events} className="h-60" />
      </Card>
    </>
  );
}

function Outcomes({ run }: { run: Run }) {
  const destinations = useDestinationOptions();
  const name = nameIn(destinations.data, "destination");
  if (run.destinations.length === 0)
    return (
      <Card title="Destinations">
        <p className="text-sm text-fg-muted">
          {GOING.includes(run.status)
            ? "Each destination's outcome appears here when the run ends."
            : "No destination was written."}
        </p>
      </Card>
    );
  return (
    <Card title="Destinations">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" aria-label="Outcome per destination">
          <thead className="border-b border-border text-xs text-fg-muted uppercase">
            <tr>
              <th scope="col" className="px-2 py-2 font-medium">
                Destination
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Outcome
              </th>
              <th scope="col" className="px-2 py-2 text-right font-medium">
                Written
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Stored
              </th>
            </tr>
          </thead>
          <tbody>
            {run.destinations.map((d) => (
              <tr key={d.id} className="border-b border-border last:border-0 align-top">
                <td className="px-2 py-2 font-medium wrap-anywhere">{name(d.id)}</td>
                <td className="px-2 py-2">
                  {d.error ? (
                    <span className="grid justify-items-start gap-1">
                      <RunStatusBadge status="failed" />
                      <span className="wrap-anywhere">{d.error}</span>
                    </span>
                  ) : (
                    <RunStatusBadge status="succeeded" />
                  )}
                </td>
                <td className="px-2 py-2 text-right tabular-nums">{formatBytes(d.written)}</td>
                <td className="px-2 py-2">
                  {d.bytes !== null && d.sha256 ? (
                    <span className="grid gap-0.5">
                      {formatBytes(d.bytes)}
                      <span
                        className="font-mono text-xs break-all text-fg-muted"
                        title="SHA-256 of the stored artifact"
                      >
                        {d.sha256}
                      </span>
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function RunFacts({ run }: { run: Run }) {
  const took =
    run.startedAt && run.finishedAt
      ? formatDuration(Date.parse(run.finishedAt) - Date.parse(run.startedAt))
      : null;
  return (
    <Card title="Details">
      <dl className="grid gap-2">
        <Term layout="beside" label="What">
          {run.description}
        </Term>
        <Term layout="beside" label="Node">
          {run.nodeId ? <NodeLink id={run.nodeId} /> : "—"}
        </Term>
        <Term layout="beside" label="Artifact">
          <span className="font-mono text-xs break-all">{run.artifact}</span>
        </Term>
        <Term layout="beside" label="Read">
          {run.sourceBytes === null ? "—" : formatBytes(run.sourceBytes)}
        </Term>
        <Term layout="beside" label="Stored size">
          {run.bytes === null ? "—" : formatBytes(run.bytes)}
        </Term>
        <Term layout="beside" label="Started">
          <At iso={run.startedAt} />
        </Term>
        <Term layout="beside" label="Finished">
          <At iso={run.finishedAt} />
          {took ? <span className="text-fg-muted"> · took {took}</span> : null}
        </Term>
        <Term layout="beside" label="Artifacts">
          <Link
            to="/backups/artifacts"
            search={{ plan: run.planId }}
            className="text-primary hover:underline"
          >
            The plan's artifacts
          </Link>
        </Term>
      </dl>
    </Card>
  );
}
