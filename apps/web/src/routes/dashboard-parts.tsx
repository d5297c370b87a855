// The dashboard's pieces: a count linking to its list, the failing tasks, recent activity.
import { Link } from "@tanstack/react-router";
import { FeedList } from "../components/feed-list.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { cn } from "../lib/cn.ts";
import type { AuditEvent } from "./audit-diff.tsx";
import { When } from "./hosting-parts.tsx";
import type { Task } from "./tasks-parts.tsx";

export function CountCard({
  label,
  value,
  to,
  search,
  alert,
}: {
  label: string;
  /** the count as shown ("1,000+" past the count limit) */
  value: string;
  to: "/accounts" | "/users" | "/groups" | "/tasks";
  search?: { state: string };
  /** draws attention (failed tasks) */
  alert?: boolean;
}) {
  return (
    <li>
      <Link
        to={to}
        search={search}
        className={cn(
          "block rounded-lg border border-border bg-surface p-4 hover:bg-muted",
          alert && "border-danger/60 bg-danger/10",
        )}
      >
        <span className="block text-2xl font-semibold tabular-nums">{value}</span>
        <span className="block text-sm text-fg-muted first-letter:uppercase">{label}</span>
      </Link>
    </li>
  );
}

function Empty({ title, children }: { title: string; children: string }) {
  return (
    <div className="grid gap-1 py-4 text-center text-sm">
      <p className="font-medium">{title}</p>
      <p className="text-fg-muted">{children}</p>
    </div>
  );
}

export function FailingTasks({ tasks }: { tasks: Task[] }) {
  if (tasks.length === 0)
    return (
      <Empty title="No failing tasks">
        Tasks that fail, and recurring tasks whose last run failed, show up here with their error.
      </Empty>
    );
  return (
    <FeedList
      label="Failing tasks"
      items={tasks}
      head={(t) => (
        <>
          <RecordLink to="/tasks/$id" id={t.id} className="break-all">
            {t.kind}
          </RecordLink>
          <Badge tone="danger">{t.state === "failed" ? "failed" : "last run failed"}</Badge>
          {t.finishedAt ? <When iso={t.finishedAt} className={TIME_CLASS} /> : null}
        </>
      )}
      body={(t) =>
        t.lastError ? (
          <p className="line-clamp-4 text-sm whitespace-pre-wrap break-words [overflow-wrap:anywhere] text-fg-muted">
            {t.lastError}
          </p>
        ) : null
      }
    />
  );
}

/** a list entry's time, small and muted */
const TIME_CLASS = "text-xs text-fg-muted";

const outcomeTone: Record<string, BadgeTone> = { success: "ok", failure: "danger", denied: "warn" };

export function RecentActivity({ events }: { events: AuditEvent[] }) {
  if (events.length === 0)
    return (
      <Empty title="No activity yet">
        Changes made through the console, the API or the CLI are listed here as they happen.
      </Empty>
    );
  return (
    <FeedList
      label="Recent activity"
      items={events}
      entryClassName="gap-0.5 last:pb-0"
      head={(e) => (
        <>
          <Link
            to="/audit"
            search={e.targetId ? { target: e.targetId } : { action: e.action }}
            className="font-mono text-sm break-all text-primary hover:underline"
          >
            {e.action}
          </Link>
          {e.outcome !== "success" ? (
            <Badge tone={outcomeTone[e.outcome]}>{e.outcome}</Badge>
          ) : null}
          <When iso={e.at} className={TIME_CLASS} />
        </>
      )}
      body={(e) => (
        <p className="text-sm break-words [overflow-wrap:anywhere] text-fg-muted">
          by {e.actorName ?? e.actorType}
          {e.targetId
            ? ` · ${e.targetName ?? `${e.targetType ? `${e.targetType}:` : ""}${e.targetId}`}`
            : ""}
        </p>
      )}
    />
  );
}
