// The task applying a site's latest change: its state, attempts and error, a link to it, and
// its log inline, live while it is queued or running (the same stream as the task's page).
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Spinner } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { ApiError } from "../lib/errors.ts";
import { useTaskEvents } from "../lib/sse.ts";
import { At } from "./hosting-parts.tsx";
import { LogPanel } from "./tasks-log.tsx";
import { stateOf, type Task, TaskStateBadge } from "./tasks-parts.tsx";

/** `shownError`: the site's error, shown above already (the task's is not said twice). */
export function LatestTask({ taskId, shownError }: { taskId: string; shownError?: string | null }) {
  const query = useQuery({
    queryKey: ["task", taskId],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/tasks/{id}", { params: { path: { id: taskId } } })) as Task,
    // the live log keeps it current while it works; a retry waiting its turn shows up here
    refetchInterval: 5_000,
    retry: (n, e) => !(e instanceof ApiError && e.status === 404) && n < 2,
  });
  const link = (
    <Link
      to="/tasks/$id"
      params={{ id: taskId }}
      className="font-mono text-xs break-all text-primary hover:underline"
    >
      {taskId}
    </Link>
  );
  const task = query.data;
  if (!task) {
    if (query.isPending)
      return (
        <p className="flex items-center gap-2 text-sm text-fg-muted" role="status">
          <Spinner /> Loading…
        </p>
      );
    const gone = query.error instanceof ApiError && query.error.status === 404;
    return (
      <p className="text-sm text-fg-muted">
        {gone ? "The task is done and no longer kept" : "The task cannot be read now"} ({link}).
      </p>
    );
  }
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{task.kind}</span>
        <TaskStateBadge state={stateOf(task)} />
        <span className="text-fg-muted">
          attempt {task.attempts} of {task.maxAttempts}
        </span>
      </div>
      <p className="text-sm">Task {link}</p>
      {task.state === "queued" && task.attempts > 0 ? (
        <p className="text-sm text-fg-muted">
          Tries again <At iso={task.runAt} />.
        </p>
      ) : null}
      {task.lastError && task.lastError !== shownError ? (
        <div className="rounded-md border border-danger/40 bg-danger/10 p-3">
          <p className="text-sm font-medium">Task error</p>
          <p className="mt-1 text-sm whitespace-pre-wrap wrap-anywhere">{task.lastError}</p>
        </div>
      ) : null}
      <LiveLog taskId={taskId} />
    </div>
  );
}

function LiveLog({ taskId }: { taskId: string }) {
  const events = useTaskEvents(taskId);
  return <LogPanel events={events} className="h-auto max-h-80 min-h-24" />;
}
