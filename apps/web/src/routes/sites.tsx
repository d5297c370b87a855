// Sites: what nginx serves on each node. Filters (status, node, domain) live in the URL;
// "New site" opens the form and goes to the new site's page.

import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { sortKeysOf } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import { isSiteStatus, NodeFilter, SITE_STATUSES } from "./hosting-parts.tsx";
import { SiteFormDialog } from "./site-form.tsx";
import { siteColumns, useSites } from "./sites-table.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/sites");

export function SitesPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const accountName = useAccountName();
  const [creating, setCreating] = useState(false);
  const filters = useUrlFilters("/sites", search);
  const status = isSiteStatus(search.status) ? search.status : undefined;
  const columns = siteColumns(true, accountName);
  const sort = useUrlSort("/sites", search, sortKeysOf(columns));
  const paged = useSites({ status, node: search.node, q: search.q, sort: sort.value });
  return (
    <>
      <ListPage
        title="Sites"
        description="Websites nginx serves on your nodes: static files, PHP, or a proxy to an application."
        actions={<AddButton label="New site" can="createSite" onClick={() => setCreating(true)} />}
        filters={{
          ...filters,
          search: {
            label: "Search sites",
            placeholder: "Search by domain (its start)",
            maxLength: 253,
          },
          controls: (
            <>
              <EnumSelect
                label="Status"
                allLabel="All statuses"
                options={SITE_STATUSES}
                value={status}
                onChange={(v) => filters.set({ status: v })}
              />
              <NodeFilter value={search.node} onChange={(node) => filters.set({ node })} />
            </>
          ),
        }}
        label="Sites"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(s) => s.id}
        empty={
          <EmptyState title="No sites yet.">
            Create one with “New site”: pick a node that has enrolled, the kind of site and its
            domain names.
          </EmptyState>
        }
      />
      <SiteFormDialog
        open={creating}
        onOpenChange={setCreating}
        onSaved={(s) => navigate({ to: "/sites/$id", params: { id: s.id } })}
      />
    </>
  );
}
