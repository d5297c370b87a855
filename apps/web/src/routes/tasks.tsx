// Tasks: everything Steward does in the background, filtered by state, kind and account
// (kept in the URL), paginated on the server, refreshed every few seconds while visible.
import { getRouteApi } from "@tanstack/react-router";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { FilterText, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDateTime, formatRelative } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import {
  AccountSelect,
  isTaskState,
  ProgressBar,
  scheduleText,
  stateOf,
  TASK_STATES,
  type Task,
  TaskLink,
  TaskStateBadge,
  useAccountName,
} from "./tasks-parts.tsx";

const route = getRouteApi("/app/tasks");
export const REFRESH_MS = 5_000;

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-fg-muted">—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function NextRun({ task }: { task: Task }) {
  if (task.state !== "queued") return <span className="text-fg-muted">—</span>;
  if (!task.enabled) return <span className="text-fg-muted">when enabled</span>;
  return <When iso={task.runAt} />;
}

function LastRun({ task }: { task: Task }) {
  if (!task.finishedAt || !task.lastOutcome) return <span className="text-fg-muted">never</span>;
  return (
    <span className="grid gap-0.5">
      <span>{task.lastOutcome}</span>
      <span className="text-xs text-fg-muted">
        <When iso={task.finishedAt} />
      </span>
    </span>
  );
}

function columns(accountName: (id: string | null) => string): Column<Task>[] {
  return [
    {
      header: "Task",
      cell: (t) => <TaskLink task={t} />,
    },
    {
      header: "State",
      cell: (t) => (
        <span className="grid gap-1">
          <span className="flex flex-wrap gap-1">
            <TaskStateBadge state={stateOf(t)} />
            {!t.enabled && t.state === "queued" ? <Badge tone="warn">disabled</Badge> : null}
          </span>
          {t.state === "running" ? (
            <ProgressBar value={t.progress} label={`Progress of ${t.kind}`} className="w-32" />
          ) : null}
          {/* narrow screens hide the schedule and next run columns */}
          {t.state === "queued" && t.enabled ? (
            <span className="text-xs text-fg-muted md:hidden">
              next run <When iso={t.runAt} />
            </span>
          ) : null}
        </span>
      ),
    },
    {
      header: "Schedule",
      cell: (t) => (
        <span className={t.expression ? "font-mono text-xs break-all" : "text-fg-muted"}>
          {scheduleText(t)}
        </span>
      ),
      wide: true,
    },
    { header: "Next run", cell: (t) => <NextRun task={t} />, wide: true },
    { header: "Last run", cell: (t) => <LastRun task={t} />, wide: true },
    {
      header: "Account",
      cell: (t) => <span className="break-all">{accountName(t.accountId)}</span>,
      wide: true,
    },
  ];
}

export function TasksPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/tasks", search);
  const state = isTaskState(search.state) ? search.state : undefined;
  const query = { state, kind: search.kind, account: search.account };
  const accountName = useAccountName();
  const paged = usePaged(
    ["tasks", query],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/tasks", { params: { query: { cursor, limit, ...query } } })),
    { refetchInterval: REFRESH_MS },
  );
  return (
    <ListPage
      title="Tasks"
      description="Everything Steward does in the background: queued, running and finished tasks, with their schedules. This list refreshes itself."
      filters={{
        ...filters,
        controls: (
          <>
            <EnumSelect
              label="State"
              allLabel="All states"
              options={TASK_STATES}
              value={state}
              onChange={(v) => filters.set({ state: v })}
            />
            <FilterText
              label="Kind"
              placeholder="Kind, e.g. logrotate"
              className="w-52"
              maxLength={63}
              value={search.kind}
              onChange={(kind) => filters.set({ kind })}
            />
            <AccountSelect
              value={search.account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          </>
        ),
      }}
      label="Tasks"
      columns={columns(accountName)}
      paged={paged}
      rowKey={(t) => t.id}
      empty={
        <EmptyState title="No tasks yet.">
          Tasks appear here as Steward works in the background, for example its daily log rotation.
          Create one with <code className="font-mono">steward task add</code> or POST /api/v1/tasks.
        </EmptyState>
      }
    />
  );
}
