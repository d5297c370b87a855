// Backup sources (one ListPage): what plans back up (a node's files, a database, every database
// of a server, MongoDB) by name, with the check made when each was saved (the databases the
// server listed, or why it could not). Delete asks first, naming the plans that use the source
// (the API refuses a source in use). The account filter lives in the URL.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { type Plan, type Source, sourceKindName, usePlanOptions } from "./backup-parts.tsx";
import { SourceDialog } from "./backup-source-form.tsx";
import { useServerOptions } from "./databases-parts.tsx";
import { useNodeName } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/sources");

/** What a source reads, in words: "/srv/www on node web-1", "database shop", "server main". */
export function useSourceWhat() {
  const nodeName = useNodeName();
  const servers = useServerOptions();
  return (s: Source): string => {
    const setting = (k: string) => (typeof s.settings[k] === "string" ? s.settings[k] : "");
    switch (s.kind) {
      case "files": {
        const excludes = Array.isArray(s.settings.excludes) ? s.settings.excludes.length : 0;
        return `${setting("path")} on node ${nodeName(s.nodeId ?? "")}${excludes ? ` (${excludes} exclude${excludes === 1 ? "" : "s"})` : ""}`;
      }
      case "database":
        return `${setting("database") || "a database"} on server ${serverName(servers.data, s.serverId)}`;
      case "server":
        return `every database of server ${serverName(servers.data, s.serverId)}`;
      case "mongodb":
        return `${setting("database") || "every database"} from node ${nodeName(s.nodeId ?? "")}`;
      default:
        return s.kind;
    }
  };
}

const serverName = (servers: { id: string; name: string }[] | undefined, id: string | null) =>
  servers?.find((x) => x.id === id)?.name ?? id ?? "?";

function SourceCheck({ source }: { source: Source }) {
  const check = source.lastCheck;
  // a node's files and MongoDB are not checked when saved: their first run says
  if (!check) return <Note>checked by its first run</Note>;
  return (
    <span className="grid max-w-sm justify-items-start gap-1">
      {check.ok ? <Badge tone="ok">reachable</Badge> : <Badge tone="danger">check failed</Badge>}
      <Note>{formatRelative(check.at)}</Note>
      {check.message ? (
        <Note>
          <span className="wrap-anywhere">{check.message}</span>
        </Note>
      ) : null}
      {check.databases ? (
        <Note>
          <span className="wrap-anywhere">
            {check.databases.length} database(s): {check.databases.slice(0, 8).join(", ")}
            {check.databases.length > 8 ? "…" : ""}
          </span>
        </Note>
      ) : null}
    </span>
  );
}

function SourceActions({ source, plans }: { source: Source; plans: Plan[] | undefined }) {
  const me = useMe();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/backup-sources/{id}", { params: { path: { id: source.id } } }),
      ),
    { invalidate: [["backup-sources"]], onSuccess: () => toast(`Source ${source.name} deleted.`) },
  );
  if (!me.can.manageBackups) return null;
  const users = (plans ?? []).filter((p) => p.sourceIds.includes(source.id)).map((p) => p.name);
  return (
    <ActionsWithError error={remove.error}>
      <ConfirmButton
        size="sm"
        variant="danger"
        mutation={remove}
        confirm={{
          title: `Delete the source ${source.name}?`,
          description: users.length
            ? `Plans using it: ${users.join(", ")}. A source in use is not deleted: remove it from those plans first.`
            : "No plan uses it. Its artifacts stay where they are.",
          confirmLabel: "Delete source",
        }}
      >
        Delete
      </ConfirmButton>
    </ActionsWithError>
  );
}

export function BackupSourcesPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/backups/sources", search);
  const accountName = useAccountName();
  const what = useSourceWhat();
  const plans = usePlanOptions();
  const [creating, setCreating] = useState(false);
  const query = { account: search.account || undefined };
  const paged = usePaged(["backup-sources", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/backup-sources", {
        params: { query: { ...query, sort: "name", cursor, limit } },
      }),
    ),
  );
  const columns: Column<Source>[] = [
    {
      header: "Source",
      cell: (s) => (
        <span className="grid gap-0.5">
          <span className="font-medium wrap-anywhere">{s.name}</span>
          <Note>{accountName(s.accountId)}</Note>
        </span>
      ),
    },
    {
      header: "What",
      cell: (s) => (
        <span className="grid gap-0.5">
          {sourceKindName(s.kind)}
          <Note>
            <span className="wrap-anywhere">{what(s)}</span>
          </Note>
        </span>
      ),
    },
    { header: "Check", wide: true, cell: (s) => <SourceCheck source={s} /> },
    {
      header: "",
      className: "text-right",
      cell: (s) => <SourceActions source={s} plans={plans.data} />,
    },
  ];
  return (
    <>
      <ListPage
        title="Backup sources"
        description="What backup plans read: a node's files, a database, every database of a server, or MongoDB. A database's server is asked for its databases when the source is saved."
        actions={
          <AddButton label="New source" can="manageBackups" onClick={() => setCreating(true)} />
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
        label="Backup sources"
        columns={columns}
        paged={paged}
        rowKey={(s) => s.id}
        empty={
          <EmptyState title="No backup sources yet.">
            Add one with “New source”, or set up a whole backup in one page with “Quick setup” on
            the Backups page.
          </EmptyState>
        }
      />
      <SourceDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(s) => toast(`Source ${s.name} saved.`)}
      />
    </>
  );
}
