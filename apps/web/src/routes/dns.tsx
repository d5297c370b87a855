// DNS zones (one ListPage): each zone Steward serves, its node and server software, how many
// records it has and whether the node serves its latest serial (a failure says why). The
// account and node filters live in the URL; the list refreshes while a task works on a zone.
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { servedText, type Zone, ZoneStatusBadge, zoneBusy } from "./dns-parts.tsx";
import { ZoneDialog } from "./dns-zone-form.tsx";
import { NodeLink, shorten } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/dns");

function columns(accountName: (id: string | null) => string): Column<Zone>[] {
  return [
    {
      header: "Zone",
      cell: (z) => (
        <span className="grid gap-0.5">
          <RecordLink to="/dns/$id" id={z.id} className="font-mono break-all">
            {z.name}
          </RecordLink>
          <Note>{accountName(z.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "State",
      cell: (z) => (
        <span className="grid justify-items-start gap-1">
          <ZoneStatusBadge status={z.status} />
          <Note>{servedText(z)}</Note>
          {z.status === "failed" && z.lastError ? (
            <span className="text-xs text-danger wrap-anywhere">{shorten(z.lastError, 80)}</span>
          ) : null}
        </span>
      ),
    },
    {
      header: "Node",
      wide: true,
      cell: (z) => (
        <span className="grid gap-0.5">
          {z.nodeId ? <NodeLink id={z.nodeId} /> : "at a DNS provider"}
          <Note>{z.backend ?? "server not known yet"}</Note>
        </span>
      ),
    },
    { header: "Records", cell: (z) => z.records, className: "text-right", wide: true },
  ];
}

export function DnsZonesPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/dns", search);
  const accountName = useAccountName();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = { account: search.account || undefined };
  const paged = usePaged(
    ["dns-zones", query],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/dns/zones", { params: { query: { ...query, cursor, limit } } }),
      ),
    { refetchInterval: (q) => (q.state.data?.items.some(zoneBusy) ? 2_000 : 15_000) },
  );
  return (
    <>
      <ListPage
        title="DNS zones"
        description="Domains whose names Steward serves from a node's BIND or PowerDNS, or keeps at Cloudflare. Every change is checked as a whole zone first, then applied by a task."
        actions={<AddButton label="New zone" can="createSite" onClick={() => setCreating(true)} />}
        filters={{
          ...filters,
          controls: (
            <AccountSelect
              value={search.account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          ),
        }}
        label="DNS zones"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(z) => z.id}
        empty={
          <EmptyState title="No DNS zones yet.">
            Add one with “New zone”: its name, the node that serves it, and default records from the
            template if you like.
          </EmptyState>
        }
      />
      <ZoneDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/dns/$id", params: { id } })}
      />
    </>
  );
}
