// The CMS fleet (docs/cms.md): an account's WordPress sites with their core version, how many
// updates their last refresh found and the state of their connection; the connector plugin
// to download, and a site added (its connection diagnosed at once); the account's update
// defaults and a bulk update with its preview (cms-bulk.tsx); under the list, the account's
// extensions across its sites, outdated and abandoned ones (cms-extensions.tsx).
import { useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note, RecordLink } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { BulkUpdateDialog, DefaultsButton } from "./cms-bulk.tsx";
import { FleetExtensionsCard } from "./cms-extensions.tsx";
import {
  type CmsSite,
  CONNECTOR_ZIP,
  ConnectionBadge,
  cmsKeys,
  UpdatesBadge,
} from "./cms-parts.tsx";
import { CmsSiteDialog } from "./cms-site-form.tsx";
import { When } from "./hosting-parts.tsx";
import { AccountSelect, useAccounts } from "./tasks-parts.tsx";

const columns: Column<CmsSite>[] = [
  {
    header: "Site",
    cell: (s) => (
      <span className="grid gap-0.5">
        <RecordLink to="/cms-sites/$id" id={s.id}>
          <span className="wrap-anywhere">{s.name}</span>
        </RecordLink>
        <Note>{s.url}</Note>
      </span>
    ),
  },
  { header: "WordPress", cell: (s) => s.coreVersion ?? "—" },
  { header: "Updates", cell: (s) => <UpdatesBadge site={s} /> },
  { header: "Connection", cell: (s) => <ConnectionBadge diagnosis={s.diagnosis} /> },
  { header: "Refreshed", cell: (s) => <When iso={s.refreshedAt} never="never" />, wide: true },
];

export function CmsSitesPage() {
  const accounts = useAccounts();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [account, setAccount] = useState("");
  const first = accounts.data?.[0]?.id;
  useEffect(() => {
    if (!account && first) setAccount(first);
  }, [account, first]);
  // one page: an account keeps at most 1,000 sites, answered at once
  const paged = usePaged(cmsKeys.list(account), async () => ({
    items: account
      ? unwrap(await api.GET("/api/v1/cms-sites", { params: { query: { account } } })).items
      : [],
    nextCursor: null,
  }));
  const sites = paged.items;
  // the account's defaults and new sites are its admins' (its readers see the list only)
  const manages = Boolean(accounts.data?.find((a) => a.id === account)?.can.manage);
  const outdated = sites.filter((s) => s.updatesAvailable > 0).length;
  // a bulk update takes the sites one may manage (the API leaves out the others)
  const updatable = sites.some((s) => s.updatesAvailable > 0 && s.can.manage);
  return (
    <>
      <ListPage
        title="CMS sites"
        description={
          sites.length
            ? `${sites.length} WordPress sites, ${outdated} with updates waiting. Each is reached through the Steward connector plugin with an application password.`
            : "WordPress sites kept up to date through the Steward connector plugin."
        }
        actions={
          <>
            <a
              href={CONNECTOR_ZIP}
              className="inline-flex h-9 items-center rounded-md border border-border bg-surface px-4 text-sm hover:bg-muted"
            >
              Download the connector plugin
            </a>
            {account && manages ? <DefaultsButton account={account} /> : null}
            {updatable ? (
              <Button variant="secondary" onClick={() => setBulk(true)}>
                Bulk update
              </Button>
            ) : null}
            {account && manages ? (
              <AddButton label="Add site" onClick={() => setAdding(true)} />
            ) : null}
          </>
        }
        filters={{
          controls: <AccountSelect value={account} onChange={setAccount} />,
          active: false,
          clear: () => {},
        }}
        label="CMS sites"
        columns={columns}
        paged={paged}
        rowKey={(s) => s.id}
        empty={
          <EmptyState title="No CMS sites in this account yet.">
            {manages
              ? "Install the connector plugin on a WordPress site, create an application password, then add the site with “Add site”."
              : "The account's admins add its WordPress sites."}
          </EmptyState>
        }
      />
      {sites.length ? (
        <div className="mt-6">
          <FleetExtensionsCard account={account} />
        </div>
      ) : null}
      <BulkUpdateDialog open={bulk} onOpenChange={setBulk} account={account} />
      <CmsSiteDialog
        open={adding}
        onOpenChange={setAdding}
        account={account}
        onSaved={(id) => navigate({ to: "/cms-sites/$id", params: { id } })}
      />
    </>
  );
}
