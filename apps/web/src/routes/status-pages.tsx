// Status pages (one ListPage): each account's public page of some of its monitors, with its
// title, slug, how many monitors it lists and its public link (no sign-in needed there).
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { When } from "./hosting-parts.tsx";
import { StatusPageDialog } from "./status-page-form.tsx";
import { PublicLink, type StatusPage } from "./status-pages-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

function columns(accountName: (id: string | null) => string): Column<StatusPage>[] {
  return [
    {
      header: "Page",
      cell: (p) => (
        <span className="grid gap-0.5">
          <RecordLink to="/status-pages/$id" id={p.id}>
            <span className="wrap-anywhere">{p.title}</span>
          </RecordLink>
          <Note>{accountName(p.accountId)}</Note>
        </span>
      ),
    },
    { header: "Public page", cell: (p) => <PublicLink path={p.publicPath} /> },
    {
      header: "Monitors",
      cell: (p) => (p.monitors.length ? p.monitors.map((m) => m.name).join(", ") : "none yet"),
      wide: true,
    },
    { header: "Changed", cell: (p) => <When iso={p.updatedAt} />, wide: true },
  ];
}

export function StatusPagesPage() {
  const accountName = useAccountName();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const paged = usePaged(["status-pages"], async (cursor, limit) =>
    unwrap(await api.GET("/api/v1/status-pages", { params: { query: { cursor, limit } } })),
  );
  return (
    <>
      <ListPage
        title="Status pages"
        description="Public pages showing some of an account's monitors under names you choose, with 90 days of uptime and your incident notes. Nothing else (targets, URLs, the account) is shown."
        actions={
          <AddButton
            label="New status page"
            can="createMonitor"
            onClick={() => setCreating(true)}
          />
        }
        label="Status pages"
        columns={columns(accountName)}
        paged={paged}
        rowKey={(p) => p.id}
        empty={
          <EmptyState title="No status pages yet.">
            Add one with “New status page”: a slug for its address, a title and the monitors it
            shows.
          </EmptyState>
        }
      />
      <StatusPageDialog
        open={creating}
        onOpenChange={setCreating}
        onSaved={(id) => navigate({ to: "/status-pages/$id", params: { id } })}
      />
    </>
  );
}
