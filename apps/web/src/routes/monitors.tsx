// Monitors (one ListPage): each monitor's state at a glance (a word on a coloured badge), what
// it checks, how often, when it last did and a sparkline of its latest checks (down ones in
// red). Filters (state, kind, account, a name search) live in the URL; the list refreshes
// itself so a new monitor is seen going up.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { FilterText, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { Sparkline } from "../components/sparkline.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { isOneOf, When } from "./hosting-parts.tsx";
import { MonitorActions } from "./monitors-actions.tsx";
import { MonitorDialog } from "./monitors-form.tsx";
import {
  everyWords,
  KIND_LABELS,
  MONITOR_KINDS,
  MONITOR_STATES,
  type Monitor,
  MonitorState,
} from "./monitors-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/monitors");
const isState = isOneOf(MONITOR_STATES);
const isKind = isOneOf(MONITOR_KINDS);
const REFRESH_MS = 5_000;

function columns(accountName: (id: string | null) => string): Column<Monitor>[] {
  return [
    {
      header: "Monitor",
      cell: (m) => (
        <span className="grid gap-0.5">
          <RecordLink to="/monitors/$id" id={m.id}>
            <span className="wrap-anywhere">{m.name}</span>
          </RecordLink>
          <Note>
            <span className="font-mono wrap-anywhere">{m.target}</span>
          </Note>
          <Note>{m.accountId ? accountName(m.accountId) : "the installation"}</Note>
        </span>
      ),
    },
    {
      header: "State",
      cell: (m) => (
        <span className="grid justify-items-start gap-1">
          <MonitorState monitor={m} />
          {/* narrow screens have no "Recent checks" column */}
          <span className="md:hidden">
            <Sparkline points={m.recent} width={72} />
          </span>
        </span>
      ),
    },
    {
      header: "Kind",
      wide: true,
      cell: (m) => (
        <span className="grid gap-0.5">
          <span>{KIND_LABELS[m.kind]}</span>
          <Note>{everyWords(m.intervalSeconds)}</Note>
        </span>
      ),
    },
    {
      header: "Last check",
      wide: true,
      cell: (m) => (
        <span className="grid gap-0.5">
          <When iso={m.lastCheckAt} never="not yet" />
          {m.lastResponseMs !== null ? <Note>{m.lastResponseMs} ms</Note> : null}
        </span>
      ),
    },
    { header: "Recent checks", wide: true, cell: (m) => <Sparkline points={m.recent} /> },
    { header: "Actions", cell: (m) => <MonitorActions monitor={m} />, className: "text-right" },
  ];
}

export function MonitorsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/monitors", search);
  const me = useMe();
  const accountName = useAccountName();
  const [creating, setCreating] = useState(false);
  const state = isState(search.state) ? search.state : undefined;
  const kind = isKind(search.kind) ? search.kind : undefined;
  const account = search.account || undefined;
  const query = { state, kind, account, q: search.q };
  const paged = usePaged(
    ["monitors", query],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/monitors", { params: { query: { ...query, cursor, limit } } })),
    { refetchInterval: REFRESH_MS },
  );
  return (
    <>
      <ListPage
        title="Monitors"
        description="Checks of what you run: a URL, a port, a DNS record, a certificate, a cron job reporting in. A monitor that goes down, degrades or recovers is an event your rules send on."
        actions={
          <AddButton label="New monitor" can="createMonitor" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: (
            <>
              <FilterText
                label="Search monitors"
                placeholder="Name contains"
                value={search.q}
                onChange={(q) => filters.set({ q })}
              />
              <EnumSelect
                label="State"
                allLabel="Any state"
                options={MONITOR_STATES}
                value={state}
                onChange={(v) => filters.set({ state: v })}
              />
              <EnumSelect
                label="Kind"
                allLabel="All kinds"
                options={MONITOR_KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
                value={kind}
                onChange={(v) => filters.set({ kind: v })}
              />
              {me.can.createMonitor ? (
                <AccountSelect
                  className="w-48"
                  value={account ?? ""}
                  onChange={(v) => filters.set({ account: v || undefined })}
                />
              ) : null}
            </>
          ),
        }}
        label="Monitors"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(m) => m.id}
        empty={
          <EmptyState title="No monitors yet.">
            Add one with “New monitor”: a URL to fetch, a port to open, a heartbeat for a cron job.
          </EmptyState>
        }
      />
      <MonitorDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
