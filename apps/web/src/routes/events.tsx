// The events: what happened (tasks that failed for good or recovered, nodes lost and back,
// sites that failed), newest first; filters kept in the URL, pages from the server.
import { getRouteApi } from "@tanstack/react-router";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { eventColumns, SEVERITIES, TYPE_GROUPS } from "./events-parts.tsx";
import { AccountSelect } from "./tasks-parts.tsx";

const route = getRouteApi("/app/events");
const OUTCOMES = ["failure", "success", "none"] as const;
const REFRESH_MS = 10_000;
type Severity = (typeof SEVERITIES)[number];
type Outcome = (typeof OUTCOMES)[number];

/** A day of the date input (YYYY-MM-DD, local time) as the instant it starts. */
function dayStart(day: string | undefined): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const oneOf = <T extends string>(list: readonly T[], v: string | undefined) =>
  list.includes(v as T) ? (v as T) : undefined;

export function EventsPage() {
  const search = route.useSearch();
  const { set, ...filterState } = useUrlFilters("/events", search);
  const filters = {
    type: search.type || undefined,
    severity: oneOf<Severity>(SEVERITIES, search.severity),
    outcome: oneOf<Outcome>(OUTCOMES, search.outcome),
    account: search.account,
    from: dayStart(search.since),
  };
  const paged = usePaged(
    ["events", filters],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/events", { params: { query: { cursor, limit, ...filters } } })),
    { refetchInterval: REFRESH_MS },
  );
  const err = paged.query.error;
  return (
    <ListPage
      title="Events"
      description="What happened, newest first: tasks that failed for good or recovered, nodes that stopped answering or came back, sites whose change failed."
      filters={{
        ...filterState,
        className: "grid gap-3 sm:grid-cols-2 lg:grid-cols-5",
        controls: (
          <>
            <Field className="content-start" label="Type" error={fieldError(err, "type")}>
              <Select
                value={search.type ?? ""}
                onChange={(e) => set({ type: e.target.value || undefined })}
              >
                <option value="">Every type</option>
                {TYPE_GROUPS.map((g) => (
                  <optgroup key={g.prefix} label={g.prefix.slice(0, -1)}>
                    <option value={g.prefix}>every {g.prefix.slice(0, -1)} event</option>
                    {g.types.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </Select>
            </Field>
            <Field className="content-start" label="Severity" hint="this one and above">
              <Select
                value={filters.severity ?? ""}
                onChange={(e) => set({ severity: e.target.value || undefined })}
              >
                <option value="">Any severity</option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            </Field>
            <Field className="content-start" label="Outcome">
              <Select
                value={filters.outcome ?? ""}
                onChange={(e) => set({ outcome: e.target.value || undefined })}
              >
                <option value="">Any outcome</option>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </Select>
            </Field>
            <Field className="content-start" label="Account">
              <AccountSelect
                className="w-full"
                value={search.account ?? ""}
                onChange={(v) => set({ account: v || undefined })}
              />
            </Field>
            <Field className="content-start" label="Since" hint="from the start of this day">
              <Input
                type="date"
                value={search.since ?? ""}
                onChange={(e) => set({ since: e.target.value || undefined })}
              />
            </Field>
          </>
        ),
      }}
      label="Events"
      columns={eventColumns(true)}
      paged={paged}
      rowKey={(e) => e.id}
      empty={
        <EmptyState title="Nothing has happened yet.">
          Failed tasks and sites, nodes that stop answering, and recoveries are recorded here.
        </EmptyState>
      }
    />
  );
}
