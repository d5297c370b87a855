// Databases (one ListPage): every database of the servers one sees, with its server, account
// and size; filters by server, account and engine in the URL. Filtered to an account, the header says
// what its databases weigh together and charts it per day. "New database" opens the form.
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { AccountSizesCard } from "./database-account-sizes.tsx";
import { DatabaseDialog } from "./database-form.tsx";
import {
  type Database,
  DbLink,
  engineName,
  ItemFilterControls,
  itemQuery,
  sizeText,
} from "./databases-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/databases");

export function databaseColumns(accountName: (id: string | null) => string): Column<Database>[] {
  return [
    {
      header: "Database",
      cell: (d) => (
        <span className="grid gap-0.5">
          <DbLink to="/databases/$id" id={d.id} className="font-mono">
            {d.name}
          </DbLink>
          <Note>{d.accountId === null ? "shared" : accountName(d.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "Server",
      cell: (d) => (
        <span className="grid gap-0.5">
          <DbLink to="/database-servers/$id" id={d.serverId} className="font-normal">
            {d.server}
          </DbLink>
          <Note>{engineName(d.engine)}</Note>
        </span>
      ),
    },
    {
      header: "Size",
      className: "text-right",
      cell: (d) => (
        <span className="grid justify-items-end gap-0.5">
          {sizeText(d.sizeBytes)}
          {d.sizedAt ? <Note>{formatRelative(d.sizedAt)}</Note> : null}
        </span>
      ),
    },
  ];
}

export function DatabasesPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/databases", search);
  const accountName = useAccountName();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = itemQuery(search);
  const paged = usePaged(["databases", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/databases", {
        params: { query: { ...query, sort: "name", cursor, limit } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Databases"
        description="Databases on Steward's MariaDB and PostgreSQL servers, with their sizes (measured every hour)."
        actions={
          <AddButton label="New database" can="manageDatabases" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: <ItemFilterControls search={search} set={filters.set} />,
        }}
        aside={search.account ? <AccountSizesCard accountId={search.account} /> : undefined}
        label="Databases"
        columns={databaseColumns(accountName)}
        paged={paged}
        rowKey={(d) => d.id}
        empty={
          <EmptyState title="No databases yet.">
            Create one with “New database” on a server, or adopt existing ones from a server's page.
          </EmptyState>
        }
      />
      <DatabaseDialog
        open={creating}
        onOpenChange={setCreating}
        serverId={search.server}
        onCreated={(id) => navigate({ to: "/databases/$id", params: { id } })}
      />
    </>
  );
}
