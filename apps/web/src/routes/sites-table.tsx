// The list of sites: primary name, kind, node, status with the last error shortened. It
// refreshes itself while a site's task is at work (pending, deleting). The sites page and a
// node's page show it.
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDomain } from "../lib/format.ts";
import { type Page, usePaged } from "../lib/paging.ts";
import {
  BUSY_REFRESH_MS,
  NodeLink,
  type Site,
  SiteStatusBadge,
  shorten,
  siteBusy,
  When,
} from "./hosting-parts.tsx";

function columns(showNode: boolean): Column<Site>[] {
  return [
    {
      header: "Site",
      cell: (s) => (
        <span className="grid gap-0.5">
          <Link
            to="/sites/$id"
            params={{ id: s.id }}
            className="inline-block min-w-32 font-medium break-all text-primary hover:underline"
          >
            {s.domains[0] ? formatDomain(s.domains[0], s.domainsUnicode[0]) : s.id}
          </Link>
          {s.domains.length > 1 ? (
            <span className="text-xs text-fg-muted">+{s.domains.length - 1} more names</span>
          ) : null}
          {/* narrow screens hide the kind and node columns */}
          <span className="text-xs text-fg-muted md:hidden">
            {s.kind}
            {showNode ? (
              <>
                {" on "}
                <NodeLink id={s.nodeId} />
              </>
            ) : null}
          </span>
        </span>
      ),
    },
    { header: "Kind", cell: (s) => s.kind, wide: true },
    ...(showNode
      ? [{ header: "Node", cell: (s: Site) => <NodeLink id={s.nodeId} />, wide: true }]
      : []),
    {
      header: "Status",
      cell: (s) => (
        <span className="grid justify-items-start gap-1">
          <SiteStatusBadge status={s.status} />
          {s.lastError ? (
            <span className="text-xs wrap-anywhere text-fg-muted" title={s.lastError}>
              {shorten(s.lastError, 100)}
            </span>
          ) : null}
        </span>
      ),
    },
    { header: "Updated", cell: (s) => <When iso={s.updatedAt} />, wide: true },
  ];
}

/** Sites matching the filters; also the node page's list of its sites. */
export function SitesTable({
  filters,
  showNode = true,
  empty,
}: {
  filters: { node?: string; status?: Site["status"]; q?: string };
  showNode?: boolean;
  empty: ReactNode;
}) {
  const paged = usePaged(
    ["sites", filters],
    async (cursor, limit) =>
      unwrap(await api.GET("/api/v1/sites", { params: { query: { cursor, limit, ...filters } } })),
    {
      refetchInterval: (q) =>
        (q.state.data as Page<Site> | undefined)?.items.some(siteBusy) ? BUSY_REFRESH_MS : false,
    },
  );
  return (
    <DataTable
      label="Sites"
      columns={columns(showNode)}
      paged={paged}
      rowKey={(s) => s.id}
      empty={empty}
    />
  );
}
