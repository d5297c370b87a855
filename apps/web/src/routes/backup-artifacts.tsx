// Backup artifacts (one ListPage): what runs stored, newest first, by name, with the plan and
// destination by name, size, whether a test restore verified it, and whether retention has
// deleted it. Filters (plan, source, destination, verified, a range of days) live in the URL.
// Each artifact opens its own page (restore, verify, download).
import { getRouteApi } from "@tanstack/react-router";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { dayStart, formatBytes } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import {
  type Artifact,
  BackupLink,
  nameIn,
  PathLink,
  useDestinationOptions,
  usePlanOptions,
  useSourceOptions,
} from "./backup-parts.tsx";
import { When } from "./hosting-parts.tsx";

const route = getRouteApi("/app/backups/artifacts");

export interface ArtifactSearch {
  plan?: string;
  source?: string;
  destination?: string;
  verified?: string;
  from?: string;
  to?: string;
}

const options = (items: { id: string; name: string }[] | undefined) =>
  (items ?? []).map((i) => ({ value: i.id, label: i.name }));

function DayField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string | undefined;
  onChange: (day: string | undefined) => void;
}) {
  return (
    <Field className="content-start" label={label}>
      <Input
        type="date"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
      />
    </Field>
  );
}

export function BackupArtifactsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/backups/artifacts", search);
  const plans = usePlanOptions();
  const sources = useSourceOptions();
  const destinations = useDestinationOptions();
  const planName = nameIn(plans.data, "plan");
  const destinationName = nameIn(destinations.data, "destination");
  const query = {
    plan: search.plan || undefined,
    source: search.source || undefined,
    destination: search.destination || undefined,
    verified:
      search.verified === "true" || search.verified === "false" ? search.verified : undefined,
    from: dayStart(search.from),
    // "to" is the whole day: up to the start of the next one
    to: dayStart(search.to, 1),
  };
  const paged = usePaged(["backup-artifacts", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/backup-artifacts", {
        params: { query: { ...query, cursor, limit } },
      }),
    ),
  );
  const columns: Column<Artifact>[] = [
    {
      header: "Artifact",
      cell: (a) => (
        <span className="grid gap-0.5">
          <PathLink
            href={`/backups/artifacts/${encodeURIComponent(a.id)}`}
            className="font-mono text-xs break-all"
          >
            {a.name}
          </PathLink>
          <Note>{a.sourceDescription}</Note>
        </span>
      ),
    },
    {
      header: "Plan",
      cell: (a) => (
        <span className="grid gap-0.5">
          {a.planId ? (
            <BackupLink to="/backups/plans/$id" id={a.planId}>
              {planName(a.planId)}
            </BackupLink>
          ) : (
            <span className="text-fg-muted">imported, no plan</span>
          )}
          <Note>on {destinationName(a.destinationId)}</Note>
        </span>
      ),
    },
    { header: "Size", className: "text-right", cell: (a) => formatBytes(a.bytes) },
    {
      header: "State",
      cell: (a) => (
        <span className="flex flex-wrap gap-1">
          {a.verifiedAt ? <Badge tone="ok">verified</Badge> : <Badge>not verified</Badge>}
          {a.deletedAt ? <Badge tone="warn">deleted by retention</Badge> : null}
        </span>
      ),
    },
    {
      header: "Made",
      wide: true,
      cell: (a) => (
        <span className="grid gap-0.5">
          <When iso={a.createdAt} />
          {a.runId ? (
            <BackupLink
              to="/backups/runs/$id"
              id={a.runId}
              className="text-xs font-normal underline"
            >
              its run
            </BackupLink>
          ) : (
            <Note>{a.importedAt ? "imported from its sidecar" : "no run"}</Note>
          )}
        </span>
      ),
    },
  ];
  return (
    <ListPage
      title="Backup artifacts"
      description="What backup runs stored, one row per destination that has it, newest first. An artifact is verified once a test restore checked it."
      filters={{
        ...filters,
        className: "grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-4",
        controls: (
          <>
            <Field className="content-start" label="Plan">
              <EnumSelect
                label="Plan"
                allLabel="All plans"
                className="w-full"
                options={options(plans.data)}
                value={search.plan}
                onChange={(plan) => filters.set({ plan })}
              />
            </Field>
            <Field className="content-start" label="Source">
              <EnumSelect
                label="Source"
                allLabel="All sources"
                className="w-full"
                options={options(sources.data)}
                value={search.source}
                onChange={(source) => filters.set({ source })}
              />
            </Field>
            <Field className="content-start" label="Destination">
              <EnumSelect
                label="Destination"
                allLabel="All destinations"
                className="w-full"
                options={options(destinations.data)}
                value={search.destination}
                onChange={(destination) => filters.set({ destination })}
              />
            </Field>
            <Field className="content-start" label="Verified">
              <EnumSelect
                label="Verified"
                allLabel="Verified or not"
                className="w-full"
                options={[
                  { value: "true", label: "Verified" },
                  { value: "false", label: "Not verified" },
                ]}
                value={search.verified}
                onChange={(verified) => filters.set({ verified })}
              />
            </Field>
            <DayField label="From" value={search.from} onChange={(from) => filters.set({ from })} />
            <DayField label="To" value={search.to} onChange={(to) => filters.set({ to })} />
          </>
        ),
      }}
      label="Backup artifacts"
      columns={columns}
      paged={paged}
      rowKey={(a) => a.id}
      empty={
        <EmptyState title="No artifacts yet.">
          Each run of a plan stores one artifact per destination; “Run now” on a plan makes the
          first.
        </EmptyState>
      }
    />
  );
}
