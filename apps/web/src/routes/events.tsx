// The events: what happened (tasks that failed for good or recovered, nodes lost and back,
// sites that failed), newest first; filters kept in the URL, pages from the server.
import { getRouteApi } from "@tanstack/react-router";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Field } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { dayStart } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { eventColumns, SEVERITIES, TYPE_GROUPS } from "./events-parts.tsx";
import { AccountField, SinceField } from "./tasks-parts.tsx";

const route = getRouteApi("/app/events");
const OUTCOMES = ["failure", "success", "none"] as const;
const REFRESH_MS = 10_000;

const oneOf = <T extends string>(list: readonly T[], v: string | undefined) =>
  list.includes(v as T) ? (v as T) : undefined;

/** every type, then each family ("task.") and its types */
const TYPE_OPTIONS = TYPE_GROUPS.flatMap((g) => [
  { value: g.prefix, label: `every ${g.prefix.slice(0, -1)} event` },
  ...g.types.map((t) => ({ value: t, label: t })),
]);

export function EventsPage() {
  const search = route.useSearch();
  const { set, ...filterState } = useUrlFilters("/events", search);
  const filters = {
    type: search.type || undefined,
    severity: oneOf(SEVERITIES, search.severity),
    outcome: oneOf(OUTCOMES, search.outcome),
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
  const choice = (
    key: "type" | "severity" | "outcome",
    label: string,
    all: string,
    options: readonly (string | { value: string; label: string })[],
    hint?: string,
  ) => (
    <Field className="content-start" label={label} hint={hint} error={fieldError(err, key)}>
      <EnumSelect
        label={label}
        allLabel={all}
        className="w-full"
        options={options}
        value={filters[key]}
        onChange={(v) => set({ [key]: v })}
      />
    </Field>
  );
  return (
    <ListPage
      title="Events"
      description="What happened, newest first: tasks that failed for good or recovered, nodes that stopped answering or came back, sites whose change failed."
      filters={{
        ...filterState,
        className: "grid gap-3 sm:grid-cols-2 lg:grid-cols-5",
        controls: (
          <>
            {choice("type", "Type", "Every type", TYPE_OPTIONS)}
            {choice("severity", "Severity", "Any severity", SEVERITIES, "this one and above")}
            {choice("outcome", "Outcome", "Any outcome", OUTCOMES)}
            <AccountField value={search.account} onChange={(account) => set({ account })} />
            <SinceField value={search.since} onChange={(since) => set({ since })} />
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
