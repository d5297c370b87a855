// The list of sites: primary name, kind, node, status with the last error shortened. It
// refreshes itself while a site's task is at work (pending, deleting). The sites page and a
// node's page show it.
import { ExternalLink } from "lucide-react";
import type { ReactNode } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { Note, nameColumn } from "../components/record-link.tsx";
import { api, type SortOf, unwrap } from "../lib/api.ts";
import { formatDomain } from "../lib/format.ts";
import { type Page, usePaged } from "../lib/paging.ts";
import {
  BUSY_REFRESH_MS,
  NodeLink,
  type Site,
  SiteStatusBadge,
  siteBusy,
  stateColumn,
  When,
} from "./hosting-parts.tsx";

/** The site's primary name as a link to the site itself ("Visit"), opening a new tab. */
function Visit({ site }: { site: Site }) {
  const domain = site.domains[0];
  if (!domain || site.status !== "active") return null;
  return (
    <a
      href={`http://${domain}/`}
      target="_blank"
      rel="noreferrer noopener"
      className="inline-flex items-center gap-1 text-xs text-primary underline"
    >
      Visit <span className="sr-only">{domain}</span>
      <ExternalLink className="h-3 w-3" aria-hidden="true" />
    </a>
  );
}

export function siteColumns(
  showNode: boolean,
  accountName?: (id: string | null) => string,
): Column<Site>[] {
  return [
    {
      sort: "name",
      ...nameColumn<Site>(
        "Site",
        {
          to: "/sites/$id",
          minWidth: "min-w-32",
          name: (s) => (s.domains[0] ? formatDomain(s.domains[0], s.domainsUnicode[0]) : s.id),
        },
        (s) => (
          <>
            {s.domains.length > 1 ? <Note>+{s.domains.length - 1} more names</Note> : null}
            <Visit site={s} />
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
          </>
        ),
      ),
    },
    { header: "Kind", cell: (s) => s.kind, wide: true },
    ...(accountName
      ? [
          {
            header: "Account",
            cell: (s: Site) => <span className="wrap-anywhere">{accountName(s.accountId)}</span>,
            wide: true,
          },
        ]
      : []),
    ...(showNode
      ? [
          {
            header: "Node",
            cell: (s: Site) => <NodeLink id={s.nodeId} />,
            wide: true,
            sort: "node",
          },
        ]
      : []),
    {
      ...stateColumn<Site>("Status", (s) => <SiteStatusBadge status={s.status} />, 100),
      sort: "status",
    },
    { header: "Updated", cell: (s) => <When iso={s.updatedAt} />, wide: true },
  ];
}

type SiteFilters = {
  node?: string;
  status?: Site["status"];
  q?: string;
  /** one of the API's sorts of sites (the columns' keys) */
  sort?: string;
};

/** The sites matching the filters, a page at a time, refreshed while one is busy. */
export function useSites(filters: SiteFilters) {
  return usePaged(
    ["sites", filters],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/sites", {
          params: {
            query: { cursor, limit, ...filters, sort: filters.sort as SortOf<"/api/v1/sites"> },
          },
        }),
      ),
    {
      refetchInterval: (q) =>
        (q.state.data as Page<Site> | undefined)?.items.some(siteBusy) ? BUSY_REFRESH_MS : false,
    },
  );
}

/** The node page's list of its sites. */
export function SitesTable({
  filters,
  showNode = true,
  empty,
}: {
  filters: SiteFilters;
  showNode?: boolean;
  empty: ReactNode;
}) {
  return (
    <DataTable
      label="Sites"
      columns={siteColumns(showNode)}
      paged={useSites(filters)}
      rowKey={(s) => s.id}
      empty={empty}
    />
  );
}
