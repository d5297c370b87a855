// Cloudflare tunnels (docs/tunnels.md), super users': "Add a tunnel", each node's tunnel with
// its status from Cloudflare, the hostnames forwarded to local ports of the node ("Forward a
// hostname": the ingress rule before the catch-all, then the CNAME; "Stop forwarding", asking
// first), the node's config.yml, read-only, and "Remove tunnel" asking first, naming what
// goes. The two dialogs are in tunnel-form.tsx.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { NodeLink, useNodeName } from "./hosting-parts.tsx";
import { AddTunnelDialog, ForwardDialog } from "./tunnel-form.tsx";

type Tunnel = { id: string; nodeId: string; tunnelId: string; zone: string };
type Route = { id: string; hostname: string; port: number };
const path = (id: string) => ({ params: { path: { id } } });
const tone = (status: string) =>
  status === "healthy"
    ? "ok"
    : status === "degraded"
      ? "warn"
      : status === "down"
        ? "danger"
        : "neutral";

type Rule = { hostname: string | null; path: string | null; service: string };

/** The node's ingress rules as cloudflared reads them: first match wins, the catch-all last. */
function IngressRules({ rules }: { rules: Rule[] }) {
  return (
    <ol aria-label="Ingress rules, in order" className="grid gap-1 text-sm">
      {rules.map((r, i) => (
        <li
          key={`${r.hostname ?? ""}|${r.path ?? ""}|${r.service}`}
          className="flex flex-wrap items-center gap-2"
        >
          <span className="w-6 text-right text-fg-muted">{i + 1}.</span>
          <span className="font-mono">{r.hostname ?? "(any hostname)"}</span>
          {r.path ? <span className="font-mono text-fg-muted">{r.path}</span> : null}
          <span aria-hidden="true">→</span>
          <span className="font-mono">{r.service}</span>
          {i === rules.length - 1 && !r.hostname && !r.path ? (
            <Badge tone="neutral">catch-all</Badge>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function TunnelCard({ tunnel }: { tunnel: Tunnel }) {
  const [forwarding, setForwarding] = useState(false);
  const [preview, setPreview] = useState(false);
  const status = useQuery({
    queryKey: ["tunnel-status", tunnel.id],
    queryFn: async () => unwrap(await api.GET("/api/v1/tunnels/{id}/status", path(tunnel.id))),
    refetchInterval: 30_000,
  });
  const config = useQuery({
    queryKey: ["tunnel-config", tunnel.id],
    queryFn: async () => unwrap(await api.GET("/api/v1/tunnels/{id}/config", path(tunnel.id))),
    enabled: preview,
  });
  const routes = usePaged(["tunnel-routes", tunnel.id], async () => ({
    items: unwrap(await api.GET("/api/v1/tunnels/{id}/routes", path(tunnel.id))).items as Route[],
    nextCursor: null,
  }));
  const remove = useApiMutation(
    async (route: string) =>
      unwrap(
        await api.DELETE("/api/v1/tunnels/{id}/routes/{route}", {
          params: { path: { id: tunnel.id, route } },
        }),
      ),
    {
      invalidate: [
        ["tunnel-routes", tunnel.id],
        ["tunnel-config", tunnel.id],
      ],
    },
  );
  const drop = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/tunnels/{id}", path(tunnel.id))),
    { invalidate: [["tunnels"]] },
  );
  const nodeName = useNodeName()(tunnel.nodeId);
  const forwarded = routes.items.length;
  const columns: Column<Route>[] = [
    { header: "Hostname", cell: (r) => <span className="font-mono">{r.hostname}</span> },
    {
      header: "Forwarded to",
      cell: (r) => <span className="font-mono">{`http://localhost:${r.port}`}</span>,
    },
    {
      header: "",
      className: "text-right",
      cell: (r) => (
        <ConfirmButton
          variant="secondary"
          busy={remove.isPending}
          onConfirm={() => remove.mutate(r.id)}
          confirm={{
            title: `Stop forwarding ${r.hostname}?`,
            description: `Its ingress rule leaves the node's config.yml (cloudflared restarted) and its CNAME is deleted at Cloudflare: ${r.hostname} no longer reaches http://localhost:${r.port}.`,
            confirmLabel: "Stop forwarding",
          }}
        >
          Stop forwarding
        </ConfirmButton>
      ),
    },
  ];
  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono">{tunnel.zone}</span>
          {status.data ? <Badge tone={tone(status.data.status)}>{status.data.status}</Badge> : null}
        </span>
      }
      actions={
        <>
          <Button variant="secondary" onClick={() => setPreview((p) => !p)}>
            {preview ? "Hide config.yml" : "Preview config.yml"}
          </Button>
          <Button onClick={() => setForwarding(true)}>Forward a hostname</Button>
          <ConfirmButton
            variant="danger"
            mutation={drop}
            confirm={{
              title: `Remove the tunnel of ${nodeName} (${tunnel.zone})?`,
              description:
                forwarded > 0
                  ? `It still forwards ${forwarded} hostname(s): the panel refuses until you stop forwarding them.`
                  : `Steward forgets tunnel ${tunnel.tunnelId} and its sealed API token. cloudflared on ${nodeName} and the tunnel at Cloudflare stay as they are.`,
              confirmLabel: "Remove tunnel",
            }}
          >
            Remove tunnel
          </ConfirmButton>
        </>
      }
    >
      <div className="grid gap-4">
        <p className="text-sm text-fg-muted">
          Tunnel <span className="font-mono">{tunnel.tunnelId}</span> on node{" "}
          <NodeLink id={tunnel.nodeId} />
          {status.data ? `, ${status.data.connections.length} connection(s) to Cloudflare` : ""}
        </p>
        <ErrorAlert error={status.error ?? remove.error ?? drop.error} />
        <DataTable
          label={`Hostnames of ${tunnel.zone}`}
          columns={columns}
          paged={routes}
          rowKey={(r) => r.id}
          empty={<EmptyState title="No hostname is forwarded through this tunnel yet." />}
        />
        {preview ? (
          config.data ? (
            <section aria-label="config.yml" className="grid gap-3">
              <IngressRules rules={config.data.ingress} />
              <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs">
                {config.data.config}
              </pre>
            </section>
          ) : (
            <ErrorAlert error={config.error} />
          )
        ) : null}
      </div>
      <ForwardDialog tunnel={tunnel} open={forwarding} onClose={() => setForwarding(false)} />
    </Card>
  );
}

export function TunnelsPage() {
  const [adding, setAdding] = useState(false);
  const tunnels = useQuery({
    queryKey: ["tunnels"],
    queryFn: async () => unwrap(await api.GET("/api/v1/tunnels")).items as Tunnel[],
  });
  return (
    <>
      <PageHeader
        title="Tunnels"
        description="Nodes' Cloudflare tunnels: hostnames forwarded to a port of the node, without opening it to the internet."
        actions={
          <AddButton label="Add a tunnel" can="manageUsers" onClick={() => setAdding(true)} />
        }
      />
      <AddTunnelDialog
        open={adding}
        onOpenChange={setAdding}
        taken={tunnels.data?.map((t) => t.nodeId) ?? []}
      />
      <ErrorAlert error={tunnels.error} />
      <div className="grid gap-6">
        {tunnels.data?.length === 0 ? (
          <Card>
            <EmptyState title="No tunnel yet.">
              Make a tunnel with cloudflared on a node (cloudflared tunnel create), then “Add a
              tunnel” here (or steward tunnel add) to forward hostnames through it.
            </EmptyState>
          </Card>
        ) : null}
        {tunnels.data?.map((t) => (
          <TunnelCard key={t.id} tunnel={t} />
        ))}
      </div>
    </>
  );
}
