// Apps (one ListPage): the apps of every account one sees, each with its state at a glance
// (running, deploying, stopped, failed), what it runs, image and published ports; filters by
// account, node, state, source and name in the URL, a page at a time. "New quick service", "New
// compose stack", "New one-click app" and "New from git" open their form above the list, in the
// account chosen there.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import type { Column } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, nameColumn } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { formatRelative } from "../lib/format.ts";
import { useMe } from "../lib/session.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { CatalogForm, ComposeForm } from "./app-compose-form.tsx";
import { AppForm } from "./app-form.tsx";
import { AppGitForm } from "./app-git-form.tsx";
import {
  APP_SOURCES,
  APP_STATUSES,
  type AppInfo,
  AppStatus,
  appQuery,
  portsText,
  useAppList,
} from "./apps-parts.tsx";
import { NodeFilter, NodeLink } from "./hosting-parts.tsx";
import { AccountSelect, useAccountName, useAccounts } from "./tasks-parts.tsx";

const route = getRouteApi("/app/apps");

type Creating = "" | "image" | "git" | "compose" | "catalog";

const SOURCE_WORDS: Record<string, string> = {
  image: "from an image",
  git: "built from git",
  compose: "compose stack",
};

function appColumns(accountName: (id: string | null) => string): Column<AppInfo>[] {
  return [
    nameColumn<AppInfo>(
      "App",
      { to: "/apps/$id", minWidth: "min-w-24", name: (a) => a.name },
      (a) => (
        <Note>
          {SOURCE_WORDS[a.source] ?? a.source} · {accountName(a.accountId)}
        </Note>
      ),
    ),
    { header: "State", cell: (a) => <AppStatus status={a.status} /> },
    {
      header: "Image",
      wide: true,
      cell: (a) => <span className="font-mono text-xs break-all">{a.image}</span>,
    },
    {
      header: "Ports",
      wide: true,
      cell: (a) => <span className="font-mono text-xs">{portsText(a.ports)}</span>,
    },
    { header: "Node", cell: (a) => <NodeLink id={a.nodeId} /> },
    {
      header: "Changed",
      wide: true,
      cell: (a) => <span className="text-fg-muted">{formatRelative(a.updatedAt)}</span>,
    },
  ];
}

/** The form "New …" opened, with the account it creates in (the filter's, else the first). */
function NewApp({
  creating,
  account,
  onAccount,
  onDone,
}: {
  creating: Creating;
  account: string | undefined;
  onAccount: (account: string) => void;
  onDone: () => void;
}) {
  const accounts = useAccounts();
  if (!creating) return null;
  return (
    <>
      <Field label="Create in account" className="max-w-xs">
        <Select value={account ?? ""} onChange={(e) => onAccount(e.target.value)}>
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      {account && creating === "image" ? <AppForm account={account} onDone={onDone} /> : null}
      {account && creating === "git" ? <AppGitForm account={account} onDone={onDone} /> : null}
      {account && creating === "compose" ? <ComposeForm account={account} onDone={onDone} /> : null}
      {account && creating === "catalog" ? <CatalogForm account={account} onDone={onDone} /> : null}
    </>
  );
}

export function AppsPage() {
  const search = route.useSearch();
  const me = useMe();
  const filters = useUrlFilters("/apps", search);
  const accountName = useAccountName();
  const accounts = useAccounts();
  const [creating, setCreating] = useState<Creating>("");
  const [createIn, setCreateIn] = useState<string>();
  const query = appQuery(search);
  const paged = useAppList(search);
  const start = (kind: Creating) => () => setCreating(kind);
  return (
    <ListPage
      title="Apps"
      description="Containers on the nodes' engines: quick services from an image or built from a git repository, compose stacks and one-click apps, their state, logs and stats."
      actions={
        me.can.createSite && !creating ? (
          <div className="flex flex-wrap gap-2">
            <Button onClick={start("image")}>New quick service</Button>
            <Button variant="secondary" onClick={start("compose")}>
              New compose stack
            </Button>
            <Button variant="secondary" onClick={start("catalog")}>
              New one-click app
            </Button>
            <Button variant="secondary" onClick={start("git")}>
              New from git
            </Button>
          </div>
        ) : undefined
      }
      above={
        <NewApp
          creating={creating}
          account={createIn ?? query.account ?? accounts.data?.[0]?.id}
          onAccount={setCreateIn}
          onDone={() => setCreating("")}
        />
      }
      filters={{
        ...filters,
        search: { label: "Search apps", placeholder: "Search by name", maxLength: 100 },
        controls: (
          <>
            <AccountSelect
              value={search.account ?? ""}
              onChange={(v) => filters.set({ account: v || undefined })}
            />
            <NodeFilter
              label="Filter by node"
              value={search.node}
              onChange={(node) => filters.set({ node })}
            />
            <EnumSelect
              label="State"
              allLabel="All states"
              options={APP_STATUSES}
              value={query.status}
              onChange={(v) => filters.set({ status: v })}
            />
            <EnumSelect
              label="Source"
              allLabel="All sources"
              options={APP_SOURCES}
              value={query.source}
              onChange={(v) => filters.set({ source: v })}
            />
          </>
        ),
      }}
      label="Apps"
      columns={appColumns(accountName)}
      paged={paged}
      rowKey={(a) => a.id}
      empty={
        <EmptyState title="No apps yet.">
          Create one with “New quick service”, “New from git”, “New compose stack” or “New one-click
          app”.
        </EmptyState>
      }
    />
  );
}
