// Certificates (one ListPage): every site's certificate the caller may see, soonest expiry
// first, each with its names, state (and why the last try failed), expiry and days left
// (warnings at 21, 7 and 1 days), and when it renews (never for an uploaded one). The state
// filter and the sort live in the URL. Above the list, for super users, the panel's own
// certificate (STEWARD_TLS_DOMAIN); "Upload certificate" installs one made elsewhere.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { type Column, sortKeysOf } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, type Item, type SortOf, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import { PanelCertificateCard, usePanelCertificate } from "./certificate-panel.tsx";
import { CERTIFICATE_STATES, DaysLeft, stateTones } from "./certificate-parts.tsx";
import { UploadCertificateDialog } from "./certificate-upload.tsx";
import { isOneOf, stateColumn, When } from "./hosting-parts.tsx";

type Certificate = Item<"/api/v1/certificates">;
const route = getRouteApi("/app/certificates");

const isState = isOneOf(CERTIFICATE_STATES);

const columns: Column<Certificate>[] = [
  {
    header: "Names",
    cell: (c) => <span className="wrap-anywhere">{c.names.join(", ")}</span>,
    wide: true,
    sort: "name",
  },
  {
    ...stateColumn<Certificate>(
      "State",
      (c) => <Badge tone={stateTones[c.state] ?? "neutral"}>{c.state}</Badge>,
      120,
    ),
    sort: "state",
  },
  { header: "Expires", cell: (c) => <When iso={c.notAfter} />, sort: "expires" },
  { header: "Days left", cell: (c) => <DaysLeft days={c.daysLeft} /> },
  {
    header: "Renews",
    cell: (c) =>
      c.source === "upload" ? (
        <span className="text-fg-muted">never (uploaded)</span>
      ) : (
        <When iso={c.renewAt} />
      ),
  },
  {
    header: "Issuer",
    cell: (c) => <span className="text-xs wrap-anywhere">{c.issuer ?? "—"}</span>,
    wide: true,
  },
];

export function CertificatesPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/certificates", search);
  const state = isState(search.state) ? search.state : undefined;
  const sort = useUrlSort("/certificates", search, sortKeysOf(columns));
  const order = sort.value as SortOf<"/api/v1/certificates">;
  const paged = usePaged(
    ["certificates", { state, sort: order }],
    async (cursor, limit) =>
      unwrap(
        await api.GET("/api/v1/certificates", {
          params: { query: { cursor, limit, state, sort: order } },
        }),
      ),
    { refetchInterval: 15_000 },
  );
  const [uploading, setUploading] = useState(false);
  const panel = usePanelCertificate();
  return (
    <>
      <UploadCertificateDialog open={uploading} onOpenChange={setUploading} />
      <ListPage
        title="Certificates"
        actions={<AddButton label="Upload certificate" onClick={() => setUploading(true)} />}
        description="HTTPS certificates of the sites, soonest expiry first. Renewal runs by itself in the CA's renewal window (ARI), else 30 days before expiry; a failure says what to fix. Uploaded certificates are warned about, never renewed."
        filters={{
          ...filters,
          controls: (
            <EnumSelect
              label="State"
              allLabel="All states"
              options={CERTIFICATE_STATES}
              value={state}
              onChange={(v) => filters.set({ state: v })}
            />
          ),
        }}
        aside={panel ? <PanelCertificateCard cert={panel} /> : undefined}
        label="Certificates"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(c) => c.id}
        empty={
          <EmptyState title="No certificates yet.">
            A site gets one once its names point at its node.
          </EmptyState>
        }
      />
    </>
  );
}
