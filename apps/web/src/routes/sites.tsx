// Sites: what nginx serves on each node. Filters (status, node, domain) live in the URL;
// "New site" opens the form and goes to the new site's page.

import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Button } from "../components/ui/button.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import { useSearchPatch, useUrlText } from "../lib/url-search.ts";
import { isSiteStatus, SITE_STATUSES, useNodeOptions } from "./hosting-parts.tsx";
import { SiteFormDialog } from "./site-form.tsx";
import { SitesTable } from "./sites-table.tsx";

const route = getRouteApi("/app/sites");

export function SitesPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const nodes = useNodeOptions();
  const [creating, setCreating] = useState(false);
  const set = useSearchPatch("/sites", search);
  const [q, setQ] = useUrlText(search.q, (v) => set({ q: v }));
  const status = isSiteStatus(search.status) ? search.status : undefined;
  const filtered = Boolean(status || search.node || search.q);
  return (
    <>
      <PageHeader
        title="Sites"
        description="Websites nginx serves on your nodes: static files, PHP, or a proxy to an application."
        actions={<AddButton label="New site" onClick={() => setCreating(true)} />}
      />
      <search className="mb-4 flex flex-wrap items-center gap-3">
        <Input
          type="search"
          aria-label="Search sites"
          placeholder="Search by domain"
          className="max-w-xs"
          maxLength={253}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <EnumSelect
          label="Status"
          allLabel="All statuses"
          options={SITE_STATUSES}
          value={status}
          onChange={(v) => set({ status: v })}
        />
        {nodes.data ? (
          <Select
            aria-label="Node"
            className="w-48"
            value={search.node ?? ""}
            onChange={(e) => set({ node: e.target.value || undefined })}
          >
            <option value="">All nodes</option>
            {search.node && !nodes.data.some((n) => n.id === search.node) ? (
              <option value={search.node}>{search.node}</option>
            ) : null}
            {nodes.data.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name}
              </option>
            ))}
          </Select>
        ) : null}
        {filtered ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setQ("");
              void navigate({ to: "/sites", search: {}, replace: true });
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </search>
      <SitesTable
        filters={{ status, node: search.node, q: search.q }}
        empty={
          filtered ? (
            <EmptyState title="No site matches these filters.">
              Change the search, the status or the node, or clear the filters.
            </EmptyState>
          ) : (
            <EmptyState title="No sites yet.">
              Create one with “New site”: pick a node that has enrolled, the kind of site and its
              domain names.
            </EmptyState>
          )
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
