// Nodes (one ListPage): the servers running the Steward agent, installation-wide, each with
// its state, agent version (marked when behind the panel's), OS, load, memory and disk use.
// Filters (state, search) live in the URL; "Add node" ends on the enrollment command.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { type Column, sortKeysOf } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { FilterText, ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, nameColumn } from "../components/record-link.tsx";
import { api, type SortOf, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import {
  isNodeState,
  NODE_STATES,
  NodeStateBadge,
  type NodeSummary,
  stateColumn,
  When,
} from "./hosting-parts.tsx";
import { AgentVersion } from "./node-agent.tsx";
import { AddNodeDialog } from "./node-enroll.tsx";
import { formatLoad, Percent } from "./node-health.tsx";

const route = getRouteApi("/app/nodes");

const columns: Column<NodeSummary>[] = [
  {
    sort: "name",
    ...nameColumn<NodeSummary>(
      "Node",
      { to: "/nodes/$id", minWidth: "min-w-20", name: (n) => n.name },
      (n) => (n.local ? <Note>this machine</Note> : null),
    ),
  },
  {
    sort: "state",
    ...stateColumn<NodeSummary>("State", (n) => <NodeStateBadge state={n.state} />, 80),
  },
  {
    header: "Agent URL",
    cell: (n) => <span className="font-mono text-xs break-all">{n.agentUrl}</span>,
    wide: true,
  },
  {
    header: "Last seen",
    cell: (n) => <When iso={n.lastSeenAt} never="never" />,
    sort: "lastSeenAt",
  },
  {
    header: "Agent",
    cell: (n) => <AgentVersion node={n} />,
  },
  {
    header: "OS",
    cell: (n) => <span className="wrap-anywhere">{n.os ?? "—"}</span>,
    wide: true,
  },
  {
    header: "Load",
    cell: (n) =>
      n.health ? (
        <span className="tabular-nums" title="1 / 5 / 15 minutes">
          {formatLoad(n.health)}
        </span>
      ) : (
        <span className="text-fg-muted">—</span>
      ),
  },
  {
    header: "Memory",
    cell: (n) =>
      n.health ? <Percent value={n.health.memoryPercent} label="Memory" /> : <span>—</span>,
  },
  {
    header: "Disk",
    cell: (n) =>
      n.health ? <Percent value={n.health.diskPercent} label="Root disk" /> : <span>—</span>,
  },
];

export function NodesPage() {
  const search = route.useSearch();
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const filters = useUrlFilters("/nodes", search);
  const state = isNodeState(search.state) ? search.state : undefined;
  const sort = useUrlSort("/nodes", search, sortKeysOf(columns));
  const order = sort.value as SortOf<"/api/v1/nodes">;
  const paged = usePaged(
    ["nodes", { state, q: search.q, sort: order }],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/nodes", {
          params: { query: { cursor, limit, state, q: search.q, sort: order } },
        }),
      ),
    { refetchInterval: 15_000 },
  );
  return (
    <>
      <ListPage
        title="Nodes"
        description="Servers running the Steward agent, with their health. Sites live on nodes; the panel talks to each agent over mutual TLS."
        actions={
          me.can.createNode ? (
            <AddButton label="Add node" onClick={() => setAdding(true)} />
          ) : undefined
        }
        filters={{
          ...filters,
          controls: (
            <>
              <FilterText
                label="Search nodes"
                placeholder="Search by name or agent URL"
                maxLength={100}
                value={search.q}
                onChange={(q) => filters.set({ q })}
              />
              <EnumSelect
                label="State"
                allLabel="All states"
                options={NODE_STATES}
                value={state}
                onChange={(v) => filters.set({ state: v })}
              />
            </>
          ),
        }}
        label="Nodes"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(n) => n.id}
        empty={
          <EmptyState title="No nodes yet.">
            Add one with “Add node”, then run the command it shows on the server.
          </EmptyState>
        }
      />
      <AddNodeDialog open={adding} onOpenChange={setAdding} />
    </>
  );
}
