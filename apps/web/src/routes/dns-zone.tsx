// One DNS zone: whether its node serves the latest serial (a failure says why), its records to
// add, edit and delete in place, the task applying the latest change with its live log, and
// the zone's actions: apply again, import a zone file, export one, delete the zone.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Download, RefreshCw, Trash2, Upload } from "lucide-react";
import { useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { saveText } from "../lib/save-text.ts";
import { useMe } from "../lib/session.ts";
import { DetailPage, useDeleted } from "./access-parts.tsx";
import { ImportDialog } from "./dns-import.tsx";
import { servedText, useZone, type ZoneInfo, ZoneStatusBadge } from "./dns-parts.tsx";
import { RecordsCard } from "./dns-records.tsx";
import { SecondariesCard } from "./dns-secondaries.tsx";
import { CodeRow, NodeLink, Row, Rows, When } from "./hosting-parts.tsx";
import { LatestTask } from "./site-task.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/dns/$id");

export function DnsZonePage() {
  const { id } = route.useParams();
  const query = useZone(id);
  const me = useMe();
  return (
    <DetailPage
      query={query}
      back={{ to: "/dns", label: "DNS zones" }}
      header={(zone) => ({
        title: zone.name,
        description: (
          <span className="flex flex-wrap items-center gap-2">
            <ZoneStatusBadge status={zone.status} />
            <span className="text-sm text-fg-muted">{servedText(zone)}</span>
          </span>
        ),
        actions: me.can.createSite ? <ZoneActions zone={zone} /> : undefined,
      })}
    >
      {(zone) => (
        <div className="grid min-w-0 gap-4">
          {zone.status === "failed" && zone.lastError ? (
            <Alert tone="error">
              <p className="font-medium">The node does not serve the latest change</p>
              <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{zone.lastError}</p>
            </Alert>
          ) : null}
          <RecordsCard zoneId={zone.id} canEdit={me.can.createSite} />
          <div className="grid gap-4 lg:grid-cols-2">
            <ZoneCard zone={zone} />
            {zone.nodeId ? <SecondariesCard zone={zone} canEdit={me.can.createSite} /> : null}
            <Card title="Latest task">
              {zone.taskId ? (
                <LatestTask taskId={zone.taskId} shownError={zone.lastError} />
              ) : (
                <p className="text-sm text-fg-muted">No task has applied this zone yet.</p>
              )}
            </Card>
          </div>
        </div>
      )}
    </DetailPage>
  );
}

function ZoneCard({ zone }: { zone: ZoneInfo }) {
  const accountName = useAccountName();
  return (
    <Card title="Zone">
      <Rows>
        <Row label="Account">{accountName(zone.accountId)}</Row>
        {zone.nodeId ? (
          <Row label="Node">
            <NodeLink id={zone.nodeId} />
          </Row>
        ) : (
          <Row label="Held at">
            <ProviderName id={zone.providerId} />
          </Row>
        )}
        <Row label="Server">{zone.backend ?? "not known until it is applied"}</Row>
        <Row label="Serial">
          {zone.serial}
          {zone.appliedSerial !== zone.serial
            ? ` (the node serves ${zone.appliedSerial ?? "none"})`
            : ""}
        </Row>
        <Row label="Changed">
          <When iso={zone.updatedAt} />
        </Row>
        <CodeRow label="Id" value={zone.id} />
      </Rows>
    </Card>
  );
}

/** A provider's name and kind, read when the zone is at one. */
function ProviderName({ id }: { id: string | null }) {
  const provider = useQuery({
    queryKey: ["dns-provider", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/dns-providers/{id}", { params: { path: { id: id ?? "" } } })),
    enabled: id !== null,
  });
  return <>Cloudflare ({provider.data?.name ?? "a DNS provider"})</>;
}

function ZoneActions({ zone }: { zone: ZoneInfo }) {
  const [importing, setImporting] = useState(false);
  const path = { params: { path: { id: zone.id } } };
  const invalidate = [["dns-zone", zone.id], ["dns-zones"]];
  const deleted = useDeleted();
  const apply = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/dns/zones/{id}/apply", path)),
    { invalidate },
  );
  const exported = useApiMutation(
    async () => unwrap(await api.GET("/api/v1/dns/zones/{id}/export", path)),
    { onSuccess: (file) => saveText(file.zoneFile, `${file.name}.zone`, "text/dns") },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/dns/zones/{id}", path)),
    { invalidate: [["dns-zones"]], onSuccess: () => deleted("Zone removal started", "/dns") },
  );
  return (
    <ActionsWithError error={apply.error ?? exported.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" busy={apply.isPending} onClick={() => apply.mutate(undefined)}>
          <RefreshCw className="h-4 w-4" aria-hidden="true" /> Apply
        </Button>
        <Button variant="secondary" onClick={() => setImporting(true)}>
          <Upload className="h-4 w-4" aria-hidden="true" /> Import
        </Button>
        <Button
          variant="secondary"
          busy={exported.isPending}
          onClick={() => exported.mutate(undefined)}
        >
          <Download className="h-4 w-4" aria-hidden="true" /> Export
        </Button>
        <ConfirmButton
          variant="danger"
          mutation={remove}
          confirm={{
            title: "Delete this zone?",
            description: (
              <span className="wrap-anywhere">
                The node stops serving <strong>{zone.name}</strong>, then the zone and its{" "}
                {zone.records} records are deleted.
              </span>
            ),
            confirmLabel: "Delete zone",
            typeToConfirm: zone.name,
          }}
        >
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </ConfirmButton>
      </div>
      <ImportDialog zone={zone} open={importing} onOpenChange={setImporting} />
    </ActionsWithError>
  );
}
