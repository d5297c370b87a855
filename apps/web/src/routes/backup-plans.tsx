// Backup plans (one ListPage, the backups section's first page): each plan's sources and
// destinations by name, its schedule in words with its time zone, its last result as a badge
// with when it last succeeded, its next run, what it keeps, and "Run now" (which opens the run,
// or the plan's page when it started several). "Quick setup" makes a source, a destination and
// a plan in one page.
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { Play } from "lucide-react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { toast } from "../lib/toast.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import {
  BackupLink,
  LastResult,
  nameIn,
  type Plan,
  useDestinationOptions,
  useSourceOptions,
} from "./backup-parts.tsx";
import { scheduleWords } from "./backup-words.ts";
import { When } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups");

/** "Run now": the run's page when one started, the plan's when several did. */
export function RunNowButton({ plan, size = "sm" }: { plan: Plan; size?: "sm" | "md" }) {
  const navigate = useNavigate();
  const run = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/backup-plans/{id}/run", { params: { path: { id: plan.id } } }),
      ),
    {
      invalidate: [["backup-plans"], ["backup-runs"]],
      onSuccess: ({ runs }) => {
        toast(`${plan.name}: ${runs.length} run(s) started.`);
        const [first] = runs;
        if (runs.length === 1 && first)
          void navigate({ to: "/backups/runs/$id", params: { id: first.runId } });
        else void navigate({ to: "/backups/plans/$id", params: { id: plan.id } });
      },
    },
  );
  return (
    <ActionsWithError error={run.error}>
      <Button size={size} variant="secondary" busy={run.isPending} onClick={() => run.mutate()}>
        <Play className="h-4 w-4" aria-hidden="true" /> Run now
      </Button>
    </ActionsWithError>
  );
}

export function BackupPlansPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/backups", search);
  const navigate = useNavigate();
  const accountName = useAccountName();
  const sources = useSourceOptions();
  const destinations = useDestinationOptions();
  const sourceName = nameIn(sources.data, "source");
  const destinationName = nameIn(destinations.data, "destination");
  const query = { account: search.account || undefined };
  const paged = usePaged(
    ["backup-plans", query],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/backup-plans", {
          params: { query: { ...query, sort: "name", cursor, limit } },
        }),
      ),
    // while a run is going, its result changes soon
    {
      refetchInterval: (q) =>
        q.state.data?.items.some((p) =>
          ["queued", "running"].includes(p.activity.lastRun?.status ?? ""),
        )
          ? 3_000
          : 30_000,
    },
  );
  const columns: Column<Plan>[] = [
    {
      header: "Plan",
      cell: (p) => (
        <span className="grid gap-0.5">
          <BackupLink to="/backups/plans/$id" id={p.id}>
            {p.name}
          </BackupLink>
          <Note>{accountName(p.accountId)}</Note>
          {p.enabled ? null : <Badge tone="warn">disabled</Badge>}
        </span>
      ),
    },
    {
      header: "Backs up",
      cell: (p) => (
        <span className="grid gap-0.5 wrap-anywhere">
          <span>{p.sourceIds.map(sourceName).join(", ")}</span>
          <Note>to {p.destinationIds.map(destinationName).join(", ")}</Note>
        </span>
      ),
    },
    {
      header: "Schedule",
      wide: true,
      cell: (p) => (
        <span className="grid gap-0.5">
          <span>{scheduleWords(p.schedule, p.timeZone)}</span>
          <Note>
            next run: {p.nextRunAt ? <When iso={p.nextRunAt} className="text-xs" /> : "none"}
          </Note>
        </span>
      ),
    },
    { header: "Last result", cell: (p) => <LastResult plan={p} /> },
    {
      header: "Stored",
      wide: true,
      className: "text-right",
      cell: (p) => formatBytes(p.activity.storedBytes),
    },
    { header: "", className: "text-right", cell: (p) => <RunNowButton plan={p} /> },
  ];
  return (
    <ListPage
      title="Backups"
      description="Backup plans: what is backed up, where to, when, and how it went. Sources, destinations and artifacts have their own pages in the sidebar."
      actions={
        <AddButton
          label="Quick setup"
          can="manageBackups"
          onClick={() => void navigate({ to: "/backups/new" })}
        />
      }
      filters={{
        ...filters,
        controls: (
          <AccountSelect
            value={search.account ?? ""}
            onChange={(v) => filters.set({ account: v || undefined })}
          />
        ),
      }}
      label="Backup plans"
      columns={columns}
      paged={paged}
      rowKey={(p) => p.id}
      empty={
        <EmptyState title="No backup plans yet.">
          “Quick setup” makes the first one in a page: what to back up, where to, and when.
        </EmptyState>
      }
    />
  );
}
