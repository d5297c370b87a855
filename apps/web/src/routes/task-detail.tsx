// One task: what it is, its schedule and outcome, its live log and progress (server-sent
// events), and what one can do with it: run now, cancel, enable or disable, reschedule.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { CalendarClock, Play, Power, Square } from "lucide-react";
import { useEffect, useState } from "react";
import { PageHeader } from "../components/page.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Term } from "../components/term.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDateTime, formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useTaskEvents } from "../lib/sse.ts";
import { BackLink, DetailState } from "./access-parts.tsx";
import { LogPanel } from "./tasks-log.tsx";
import {
  JsonText,
  ProgressBar,
  scheduleText,
  stateOf,
  type Task,
  TaskStateBadge,
  useAccountName,
} from "./tasks-parts.tsx";
import { ScheduleDialog } from "./tasks-schedule.tsx";

const route = getRouteApi("/app/tasks/$id");
const FINAL = ["succeeded", "failed", "cancelled"];

function At({ iso, by }: { iso: string | null; by?: string | null }) {
  if (!iso) return <span className="text-fg-muted">—</span>;
  return (
    <span>
      <time dateTime={iso}>{formatDateTime(iso)}</time>{" "}
      <span className="text-fg-muted">({formatRelative(iso)})</span>
      {by ? <span className="text-fg-muted"> by {by}</span> : null}
    </span>
  );
}

export function TaskDetailPage() {
  const { id } = route.useParams();
  const queryClient = useQueryClient();
  const events = useTaskEvents(id);
  const query = useQuery({
    queryKey: ["task", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/tasks/{id}", { params: { path: { id } } })) as Task,
    // the live stream keeps it current; once it has ended, look now and then for a re-run
    refetchInterval: events.status === "ended" ? 10_000 : false,
  });
  const task = query.data;

  // a finished task queued again (run now, enabled, or by someone else): follow it again
  const { restart, status } = events;
  useEffect(() => {
    if (status === "ended" && task && !FINAL.includes(task.state)) restart();
  }, [status, task, restart]);

  if (!task) return <DetailState query={query} back={<BackLink to="/tasks" label="Tasks" />} />;
  const saved = (t: Task) => {
    queryClient.setQueryData(["task", id], t);
  };
  return <TaskView task={task} events={events} onChanged={saved} />;
}

function TaskView({
  task,
  events,
  onChanged,
}: {
  task: Task;
  events: ReturnType<typeof useTaskEvents>;
  onChanged: (t: Task) => void;
}) {
  const confirm = useConfirm();
  const accountName = useAccountName();
  const [editing, setEditing] = useState(false);
  const state = stateOf(task);
  const progress = events.progress?.value ?? task.progress;
  const progressMessage = events.progress?.message ?? task.progressMessage;
  const path = { params: { path: { id: task.id } } };
  const opts = { invalidate: [["tasks"]], onSuccess: onChanged };
  const run = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/tasks/{id}/run", path)) as Task,
    opts,
  );
  const cancel = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/tasks/{id}/cancel", path)) as Task,
    opts,
  );
  const toggle = useApiMutation(
    async (enabled: boolean) =>
      unwrap(await api.PATCH("/api/v1/tasks/{id}", { ...path, body: { enabled } })) as Task,
    opts,
  );
  const actionError = run.error ?? cancel.error ?? toggle.error;
  const resetErrors = () => {
    run.reset();
    cancel.reset();
    toggle.reset();
  };

  const askCancel = async () => {
    resetErrors();
    const ok = await confirm({
      title: "Cancel this task?",
      description:
        task.state === "running"
          ? "Its work is asked to stop; it ends as cancelled once it has. Tasks waiting on it fail."
          : task.expression
            ? "It will not run again: cancelling a recurring task ends its schedule (enable it to resume). Tasks waiting on it fail."
            : "It will not run. Tasks waiting on it fail.",
      confirmLabel: "Cancel task",
    });
    if (ok) cancel.mutate(undefined);
  };

  const finished = FINAL.includes(task.state);
  return (
    <>
      <PageHeader
        title={task.title}
        description={
          <span className="font-mono text-xs break-all">
            <Link to="/tasks" className="text-primary hover:underline">
              Tasks
            </Link>{" "}
            / {task.kind} / {task.id}
          </span>
        }
        actions={
          <>
            <Button
              onClick={() => {
                resetErrors();
                run.mutate(undefined);
              }}
              busy={run.isPending}
              disabled={task.state === "running"}
            >
              <Play className="h-4 w-4" aria-hidden="true" /> Run now
            </Button>
            {!finished && !task.cancelRequested ? (
              <Button variant="danger" onClick={askCancel} busy={cancel.isPending}>
                <Square className="h-4 w-4" aria-hidden="true" /> Cancel
              </Button>
            ) : null}
            <Button
              variant="secondary"
              busy={toggle.isPending}
              onClick={() => {
                resetErrors();
                toggle.mutate(!task.enabled);
              }}
            >
              <Power className="h-4 w-4" aria-hidden="true" /> {task.enabled ? "Disable" : "Enable"}
            </Button>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              <CalendarClock className="h-4 w-4" aria-hidden="true" /> Edit schedule
            </Button>
          </>
        }
      />
      <ErrorAlert error={actionError} className="mb-4" />
      <div className="grid gap-4">
        <Card title="Status">
          <div className="grid gap-3">
            <div className="flex flex-wrap items-center gap-2">
              <TaskStateBadge state={state} />
              {task.enabled ? null : <Badge tone="warn">disabled</Badge>}
              {task.state === "queued" && task.enabled ? (
                <span className="text-sm text-fg-muted">next run {formatRelative(task.runAt)}</span>
              ) : null}
            </div>
            <ProgressBar value={progress} label="Task progress" />
            {progressMessage ? (
              <p className="text-sm break-words text-fg-muted">{progressMessage}</p>
            ) : null}
            {task.lastError ? (
              <div className="rounded-md border border-danger/40 bg-danger/10 p-3">
                <p className="text-sm font-medium">Last error</p>
                <p className="mt-1 text-sm whitespace-pre-wrap break-words [overflow-wrap:anywhere]">
                  {task.lastError}
                </p>
              </div>
            ) : null}
          </div>
        </Card>
        <Card title="Live log">
          <LogPanel events={events} />
        </Card>
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title="Details">
            <dl className="grid gap-2">
              <Term layout="beside" label="Kind">
                {task.kind}
              </Term>
              <Term layout="beside" label="State">
                {state}
              </Term>
              <Term layout="beside" label="Enabled">
                {task.enabled ? "yes" : "no (waits until enabled)"}
              </Term>
              <Term layout="beside" label="Schedule">
                <span className={task.expression ? "font-mono" : undefined}>
                  {scheduleText(task)}
                </span>
              </Term>
              <Term layout="beside" label="Next run">
                {task.state === "queued" ? <At iso={task.runAt} /> : "—"}
              </Term>
              <Term layout="beside" label="Priority">
                {task.priority} (0 runs first, 9 last)
              </Term>
              <Term layout="beside" label="Attempts">
                {task.attempts} of {task.maxAttempts}
              </Term>
              <Term layout="beside" label="Last outcome">
                {task.lastOutcome ?? "—"}
              </Term>
              <Term layout="beside" label="Account">
                {accountName(task.accountId)}
              </Term>
              <Term layout="beside" label="Target">
                {task.targetType
                  ? `${task.targetType}${task.targetId ? `:${task.targetId}` : ""}`
                  : "—"}
              </Term>
              {task.parentId ? (
                <Term layout="beside" label="Started by task">
                  <RecordLink to="/tasks/$id" id={task.parentId} className="font-mono font-normal">
                    {task.parentId}
                  </RecordLink>
                </Term>
              ) : null}
              <Term layout="beside" label="On success">
                {task.expression ? "—" : task.onSuccess === "delete" ? "deleted" : "kept, disabled"}
              </Term>
              <Term layout="beside" label="Created">
                <At iso={task.createdAt} by={task.createdBy} />
              </Term>
              <Term layout="beside" label="Started">
                <At iso={task.startedAt} />
              </Term>
              <Term layout="beside" label="Finished">
                <At iso={task.finishedAt} />
              </Term>
              <Term layout="beside" label="Updated">
                <At iso={task.updatedAt} />
              </Term>
            </dl>
          </Card>
          <div className="grid content-start gap-4">
            <Card title="Payload">
              <JsonText value={task.payload} />
            </Card>
            {task.result !== null && task.result !== undefined ? (
              <Card title="Result">
                <JsonText value={task.result} />
              </Card>
            ) : null}
          </div>
        </div>
      </div>
      <ScheduleDialog task={task} open={editing} onOpenChange={setEditing} onSaved={onChanged} />
    </>
  );
}
