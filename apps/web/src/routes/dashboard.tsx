// The first page: are my servers and sites OK (nodes with their health, sites with the failing
// ones first), counts of what one may see (each linking to its list), the latest failing tasks
// with their errors, and the latest activity from the audit log.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Spinner } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { formatCount } from "../lib/format.ts";
import { useMe } from "../lib/session.ts";
import { BackupsAtAGlance } from "./dashboard-backups.tsx";
import { NodesHealth, SitesStatus, UpcomingSlots } from "./dashboard-health.tsx";
import { CountCard, FailingTasks, RecentActivity } from "./dashboard-parts.tsx";
import { TASK_STATES } from "./tasks-parts.tsx";

export type Dashboard = Schema<"/api/v1/dashboard", "get">;

export function DashboardPage() {
  const me = useMe();
  const query = useQuery({
    queryKey: ["dashboard"],
    queryFn: async () => unwrap(await api.GET("/api/v1/dashboard")),
    refetchInterval: 15_000,
  });
  const d = query.data;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Signed in as ${me.email}. What you may see, at a glance.`}
      />
      {query.isPending ? (
        <div className="flex items-center gap-2 p-6 text-sm text-fg-muted" role="status">
          <Spinner /> Loading…
        </div>
      ) : !d ? (
        <ErrorAlert error={query.error} />
      ) : (
        <div className="grid gap-6">
          {query.isError ? <ErrorAlert error={query.error} /> : null}
          <div className="grid gap-6 lg:grid-cols-2">
            {d.nodes ? <NodesHealth nodes={d.nodes} countLimit={d.countLimit} /> : null}
            <SitesStatus sites={d.sites} countLimit={d.countLimit} />
          </div>
          <BackupsAtAGlance backups={d.backups} countLimit={d.countLimit} />
          <UpcomingSlots />
          <section aria-labelledby="counts-title" className="grid gap-3">
            <h2 id="counts-title" className="sr-only">
              Counts
            </h2>
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
              <CountCard
                label="Accounts"
                value={formatCount(d.counts.accounts, d.countLimit)}
                to="/accounts"
              />
              {d.counts.users !== null ? (
                <CountCard
                  label="Users"
                  value={formatCount(d.counts.users, d.countLimit)}
                  to="/users"
                />
              ) : null}
              {d.counts.groups !== null ? (
                <CountCard
                  label="Groups"
                  value={formatCount(d.counts.groups, d.countLimit)}
                  to="/groups"
                />
              ) : null}
            </ul>
            <h3 className="text-sm font-medium text-fg-muted">
              Tasks by state{" "}
              <span className="font-normal">
                (queued is work waiting; {formatCount(d.counts.schedules, d.countLimit)} recurring
                schedule
                {d.counts.schedules === 1 ? "" : "s"} wait for their next run)
              </span>
            </h3>
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
              {TASK_STATES.map((s) => (
                <CountCard
                  key={s}
                  label={s}
                  value={formatCount(d.counts.tasks[s], d.countLimit)}
                  to="/tasks"
                  search={{ state: s }}
                  alert={s === "failed" && d.counts.tasks.failed > 0}
                />
              ))}
            </ul>
          </section>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card
              title="Failing tasks"
              actions={
                <Link
                  to="/tasks"
                  search={{ state: "failed" }}
                  className="text-sm text-primary hover:underline"
                >
                  All failed tasks
                </Link>
              }
            >
              <FailingTasks tasks={d.failedTasks} />
            </Card>
            <Card
              title="Recent activity"
              actions={
                <Link to="/audit" className="text-sm text-primary hover:underline">
                  Open the audit log
                </Link>
              }
            >
              <RecentActivity events={d.recentAudit} />
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
