// One node: its state and certificate, its health (now and over 24 hours), its agent's version
// and its upgrade, what its agent reports about the machine (refreshed on demand), what its sites
// may proxy to, its firewall (super users), its sites and its recent tasks; a new enrollment token, and revoking it (typing
// its name).
import { getRouteApi } from "@tanstack/react-router";
import { ShieldOff } from "lucide-react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { EmptyState } from "../components/page.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { DetailPage } from "./access-parts.tsx";
import {
  AtRow,
  CodeRow,
  type NodeInfo,
  NodeStateBadge,
  Row,
  Rows,
  When,
} from "./hosting-parts.tsx";
import { AgentCard } from "./node-agent.tsx";
import { DnsAddressCard } from "./node-dns.tsx";
import { EngineCard } from "./node-engine.tsx";
import { NewTokenButton } from "./node-enroll.tsx";
import { FactsCard } from "./node-facts.tsx";
import { FirewallCard } from "./node-firewall.tsx";
import { FtpsCard } from "./node-ftps.tsx";
import { HealthCard } from "./node-health.tsx";
import { OutboundCard } from "./node-outbound.tsx";
import { useRecord } from "./record-query.ts";
import { SitesTable } from "./sites-table.tsx";
import { TargetEventsCard } from "./target-events.tsx";
import { TargetTasksCard } from "./target-tasks.tsx";

const route = getRouteApi("/app/nodes/$id");

export function NodeDetailPage() {
  const { id } = route.useParams();
  const me = useMe();
  // heartbeats change its state and last contact: look again now and then
  const query = useRecord("node", id, 15_000);
  return (
    <DetailPage
      query={query}
      back={{ to: "/nodes", label: "Nodes" }}
      header={(node) => ({
        title: node.name,
        description: <span className="font-mono text-xs break-all">{node.agentUrl}</span>,
        actions: <NodeActions node={node} />,
      })}
    >
      {(node) => (
        <div className="grid gap-4">
          {node.state === "pending" ? (
            <Alert>
              This node waits for its agent. Create an enrollment token and run the command it shows
              on the server.
            </Alert>
          ) : null}
          {node.state === "revoked" ? (
            <Alert>
              This node is revoked: the panel refuses its certificate. To use the server again, add
              it as a new node.
            </Alert>
          ) : null}
          {node.lastError ? (
            <Alert tone="error">
              <p className="font-medium">Last error</p>
              <p className="mt-1 whitespace-pre-wrap wrap-anywhere">{node.lastError}</p>
            </Alert>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-2">
            <StatusCard node={node} />
            <HealthCard node={node} />
          </div>
          {node.state !== "pending" ? <AgentCard node={node} /> : null}
          <FactsCard node={node} canRefresh={me.can.createNode} />
          <OutboundCard node={node} />
          <DnsAddressCard node={node} />
          {me.super && node.state !== "pending" ? <EngineCard nodeId={node.id} /> : null}
          {me.super && node.state !== "pending" ? <FirewallCard nodeId={node.id} /> : null}
          {node.state !== "pending" ? <FtpsCard nodeId={node.id} /> : null}
          <Card title="Sites">
            <SitesTable
              filters={{ node: node.id }}
              showNode={false}
              empty={
                <EmptyState title="No sites on this node.">
                  {node.state === "trusted"
                    ? "Create one on the Sites page with “New site”."
                    : "Sites can be created once the node has enrolled."}
                </EmptyState>
              }
            />
          </Card>
          <TargetEventsCard target={node.id} empty="Nothing has happened to this node yet." />
          <TargetTasksCard
            target={`node:${node.id}`}
            title="Recent tasks"
            empty="No tasks for this node yet."
          />
        </div>
      )}
    </DetailPage>
  );
}

function StatusCard({ node }: { node: NodeInfo }) {
  return (
    <Card title="Status">
      <Rows>
        <Row label="State">
          <span className="flex flex-wrap gap-1">
            <NodeStateBadge state={node.state} />
            {node.local ? <Badge tone="info">this machine</Badge> : null}
          </span>
        </Row>
        <Row label="Last seen">
          <When iso={node.lastSeenAt} never="never" />
        </Row>
        <Row label="Missed heartbeats">{node.missedHeartbeats}</Row>
        <AtRow label="Certificate expires" iso={node.certExpiresAt} />
        <CodeRow label="Certificate SHA-256" value={node.certFingerprint ?? "—"} />
        <CodeRow label="Agent URL" value={node.agentUrl} />
        <AtRow label="Added" iso={node.createdAt} />
        <CodeRow label="Id" value={node.id} />
      </Rows>
    </Card>
  );
}

function NodeActions({ node }: { node: NodeInfo }) {
  const revoke = useApiMutation(
    async () =>
      unwrap(await api.POST("/api/v1/nodes/{id}/revoke", { params: { path: { id: node.id } } })),
    { invalidate: [["nodes"], ["node", node.id], ["tasks"]] },
  );
  if (node.state === "revoked") return null;
  return (
    <ActionsWithError error={revoke.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <NewTokenButton node={node} />
        <ConfirmButton
          variant="danger"
          mutation={revoke}
          confirm={{
            title: "Revoke this node?",
            description: (
              <span className="grid gap-2 wrap-anywhere">
                <span>
                  The certificate of <strong>{node.name}</strong> stops working at once: the panel
                  refuses it and sends the node nothing more, so its sites can no longer be changed
                  from here. What runs on the server keeps running.
                </span>
                <span>A revoked node cannot enroll again; add the server as a new node.</span>
              </span>
            ),
            confirmLabel: "Revoke node",
            typeToConfirm: node.name,
          }}
        >
          <ShieldOff className="h-4 w-4" aria-hidden="true" /> Revoke
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}
