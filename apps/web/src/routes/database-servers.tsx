// Database servers (one ListPage): each MariaDB or PostgreSQL server Steward manages, where it
// runs (a node's own, or external at a host), its account, version, size and last connection
// test. The account filter lives in the URL; "New server" opens the form that tests first.
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
import { ServerDialog } from "./database-server-form.tsx";
import {
  DbLink,
  type DbServer,
  engineName,
  placementText,
  shortVersion,
  sizeText,
  TestBadge,
} from "./databases-parts.tsx";
import { useNodeName } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/database-servers");

function columns(
  accountName: (id: string | null) => string,
  nodeName: (id: string) => string,
): Column<DbServer>[] {
  return [
    {
      header: "Server",
      cell: (s) => (
        <span className="grid gap-0.5">
          <DbLink to="/database-servers/$id" id={s.id}>
            {s.name}
          </DbLink>
          <Note>{s.accountId === null ? "shared" : accountName(s.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "Engine",
      cell: (s) => (
        <span className="grid gap-0.5">
          {engineName(s.engine)}
          <Note>{shortVersion(s.version) ?? "version not known yet"}</Note>
        </span>
      ),
    },
    { header: "Where", wide: true, cell: (s) => placementText(s, nodeName) },
    {
      header: "Last test",
      cell: (s) => (
        <span className="grid justify-items-start gap-1">
          <TestBadge report={s.lastTest} />
          {s.testedAt ? <Note>{formatRelative(s.testedAt)}</Note> : null}
        </span>
      ),
    },
    { header: "Size", className: "text-right", wide: true, cell: (s) => sizeText(s.sizeBytes) },
  ];
}

export function DatabaseServersPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/database-servers", search);
  const accountName = useAccountName();
  const nodeName = useNodeName();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = { account: search.account || undefined };
  const paged = usePaged(["database-servers", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/database-servers", {
        params: { query: { ...query, sort: "name", cursor, limit } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Database servers"
        description="MariaDB and PostgreSQL servers whose databases and users Steward manages: a node's own, or external ones reached with an admin user."
        actions={
          <AddButton label="New server" can="manageDatabases" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: (
            <AccountSelect
              value={search.account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
          ),
        }}
        label="Database servers"
        columns={columns(accountName, nodeName)}
        paged={paged}
        rowKey={(s) => s.id}
        empty={
          <EmptyState title="No database servers yet.">
            Add one with “New server”: a node's own MariaDB or PostgreSQL, or an external server
            with its admin user. Its existing databases and users can then be adopted.
          </EmptyState>
        }
      />
      <ServerDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/database-servers/$id", params: { id } })}
      />
    </>
  );
}
