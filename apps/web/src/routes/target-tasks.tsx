// The tasks that acted on one resource (GET /api/v1/tasks?target=<type>:<id>), newest first,
// refreshed every few seconds: a node's or a site's history.
import type { Column } from "../components/data-table.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { shorten, When } from "./hosting-parts.tsx";
import { stateOf, type Task, TaskLink, TaskStateBadge } from "./tasks-parts.tsx";

const REFRESH_MS = 5_000;

const columns: Column<Task>[] = [
  {
    header: "Task",
    cell: (t) => <TaskLink task={t} />,
  },
  {
    header: "State",
    cell: (t) => (
      <span className="grid gap-1">
        <TaskStateBadge state={stateOf(t)} />
        {t.attempts > 1 ? (
          <span className="text-xs text-fg-muted">
            attempt {t.attempts} of {t.maxAttempts}
          </span>
        ) : null}
      </span>
    ),
  },
  {
    header: "Last error",
    cell: (t) =>
      t.lastError ? (
        <span className="wrap-anywhere" title={t.lastError}>
          {shorten(t.lastError)}
        </span>
      ) : (
        <span className="text-fg-muted">—</span>
      ),
    wide: true,
  },
  { header: "Created", cell: (t) => <When iso={t.createdAt} />, wide: true },
  { header: "Finished", cell: (t) => <When iso={t.finishedAt} />, wide: true },
];

export function TargetTasksCard({
  target,
  title = "Tasks",
  empty,
}: {
  /** "site:<id>", "node:<id>" */
  target: string;
  title?: string;
  empty: string;
}) {
  const paged = usePaged(
    ["tasks", { target }],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/tasks", { params: { query: { cursor, limit, target } } })),
    { refetchInterval: REFRESH_MS },
  );
  return (
    <ListCard
      title={title}
      label={title}
      columns={columns}
      paged={paged}
      rowKey={(t) => t.id}
      empty={<EmptyState title={empty} />}
    />
  );
}
