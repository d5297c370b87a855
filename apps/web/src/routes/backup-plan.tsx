// One backup plan: what it backs up and where to (by name), its schedule in words and next run,
// compression, encryption mode, retention, concurrency, test restores on a schedule and their
// next run, and what it keeps; its runs, newest first, each linking to the run's page
// (refreshed while one is going); "Run now", "Edit", a `panel` plan's recovery kit, and delete
// after typing the plan's name.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import type { Column } from "../components/data-table.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Term } from "../components/term.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { DetailPage } from "./access-parts.tsx";
import {
  BackupLink,
  LastResult,
  nameIn,
  type Plan,
  type Run,
  RunStatusBadge,
  useDestinationOptions,
  useSourceOptions,
} from "./backup-parts.tsx";
import { ManagePlan } from "./backup-plan-actions.tsx";
import { RunNowButton } from "./backup-plans.tsx";
import { ENCRYPTION_WORDS, retentionWords, scheduleWords } from "./backup-words.ts";
import { At, When } from "./hosting-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/plans/$id");
const GOING = ["queued", "running"];
const VERIFY_KIND = "backup.verify-plan";

export function BackupPlanPage() {
  const { id } = route.useParams();
  const query = useQuery({
    queryKey: ["backup-plans", "one", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/backup-plans/{id}", { params: { path: { id } } })),
    refetchInterval: (q) =>
      GOING.includes(q.state.data?.activity.lastRun?.status ?? "") ? 3_000 : false,
  });
  return (
    <DetailPage
      query={query}
      back={{ to: "/backups", label: "Backups" }}
      header={(plan) => ({
        title: plan.name,
        description: scheduleWords(plan.schedule, plan.timeZone),
        actions: (
          <>
            <RunNowButton plan={plan} size="md" />
            <ManagePlan plan={plan} />
          </>
        ),
      })}
    >
      {(plan) => (
        <div className="grid gap-4">
          <PlanFacts plan={plan} />
          <PlanRuns plan={plan} />
        </div>
      )}
    </DetailPage>
  );
}

function PlanFacts({ plan }: { plan: Plan }) {
  const accountName = useAccountName();
  const sources = useSourceOptions();
  const destinations = useDestinationOptions();
  const keys = plan.recipients.length;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="What and where">
        <dl className="grid gap-2">
          <Term layout="beside" label="Account">
            {accountName(plan.accountId)}
          </Term>
          <Term layout="beside" label="Sources">
            {plan.sourceIds.map(nameIn(sources.data, "source")).join(", ")}
          </Term>
          <Term layout="beside" label="Destinations">
            {plan.destinationIds.map(nameIn(destinations.data, "destination")).join(", ")}
          </Term>
          <Term layout="beside" label="Last result">
            <LastResult plan={plan} />
          </Term>
          <Term layout="beside" label="Stored">
            {formatBytes(plan.activity.storedBytes)} (the artifacts retention keeps, every
            destination)
          </Term>
        </dl>
      </Card>
      <Card title="How">
        <dl className="grid gap-2">
          <Term layout="beside" label="Schedule">
            {scheduleWords(plan.schedule, plan.timeZone)}
            {plan.schedule ? <Note> · {plan.schedule}</Note> : null}
          </Term>
          <Term layout="beside" label="Next run">
            {plan.enabled ? <At iso={plan.nextRunAt} /> : "disabled: it runs only when asked"}
          </Term>
          <Term layout="beside" label="Compression">
            zstd level {plan.compressionLevel}
          </Term>
          <Term layout="beside" label="Encryption">
            {ENCRYPTION_WORDS[plan.encryption] ?? plan.encryption}
            {plan.encryption !== "none" ? (
              <Note>
                {" "}
                ({keys} public key{keys === 1 ? "" : "s"})
              </Note>
            ) : null}
          </Term>
          <Term layout="beside" label="Retention">
            {retentionWords(plan.retention)}, per destination; the newest good copy is never deleted
          </Term>
          <Term layout="beside" label="Test restores">
            <TestRestores plan={plan} />
          </Term>
          <Term layout="beside" label="Runs at once">
            at most {plan.concurrency} backup run(s) on a node when one of this plan's starts
          </Term>
        </dl>
      </Card>
    </div>
  );
}

/** The test-restore schedule in words and the next one (its recurring task's). */
function TestRestores({ plan }: { plan: Plan }) {
  const task = useQuery({
    queryKey: ["tasks", { target: `backup-plan:${plan.id}`, kind: VERIFY_KIND }, plan.verify],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tasks", {
          params: {
            query: {
              target: `backup-plan:${plan.id}`,
              kind: VERIFY_KIND,
              state: "queued",
              limit: 1,
            },
          },
        }),
      ).items[0] ?? null,
    enabled: plan.verify !== null,
  });
  if (!plan.verify) return <>none on a schedule</>;
  return (
    <>
      {scheduleWords(plan.verify.schedule, plan.verify.timeZone)}
      <Note> · {plan.verify.schedule}</Note>
      {task.data ? (
        <Note>
          {" "}
          · next <At iso={task.data.runAt} />
        </Note>
      ) : null}
    </>
  );
}

function PlanRuns({ plan }: { plan: Plan }) {
  const paged = usePaged(
    ["backup-runs", { plan: plan.id }],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/backup-runs", {
          params: { query: { plan: plan.id, cursor, limit } },
        }),
      ),
    {
      refetchInterval: (q) =>
        q.state.data?.items.some((r) => GOING.includes(r.status)) ? 3_000 : false,
    },
  );
  const columns: Column<Run>[] = [
    {
      header: "Run",
      cell: (r) => (
        <span className="grid gap-0.5">
          <BackupLink to="/backups/runs/$id" id={r.id}>
            {r.description}
          </BackupLink>
          <When iso={r.createdAt} className="text-xs text-fg-muted" />
        </span>
      ),
    },
    { header: "Status", cell: (r) => <RunStatusBadge status={r.status} /> },
    {
      header: "Size",
      className: "text-right",
      cell: (r) => (r.bytes === null ? "—" : formatBytes(r.bytes)),
    },
    {
      header: "Destinations",
      wide: true,
      cell: (r) => {
        const failed = r.destinations.filter((d) => d.error).length;
        return r.destinations.length === 0
          ? "—"
          : `${r.destinations.length - failed} of ${r.destinations.length} stored`;
      },
    },
    {
      header: "Error",
      wide: true,
      cell: (r) =>
        r.error ? <span className="line-clamp-2 text-sm wrap-anywhere">{r.error}</span> : null,
    },
  ];
  return (
    <ListCard
      title="Runs"
      label="Runs of the plan"
      columns={columns}
      paged={paged}
      rowKey={(r) => r.id}
      empty={
        <EmptyState title="No runs yet.">
          {plan.schedule
            ? "The first one starts at the next run of its schedule, or now with “Run now”."
            : "It runs only when asked: “Run now” starts one."}
        </EmptyState>
      }
    />
  );
}
