// A node's agent: the version it runs (as its last heartbeat answered), the version this panel
// serves, and "Upgrade agent" (docs/install.md, "Upgrading agents"; who may: `can.upgradeAgents`):
// a confirmation naming the node and both versions, then the node.agent-upgrade task with its
// live log. The nodes list marks the agents that are behind (AgentVersion).
import { ArrowUpCircle } from "lucide-react";
import { useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { type NodeInfo, type NodeSummary, Row, Rows } from "./hosting-parts.tsx";
import { LatestTask } from "./site-task.tsx";

/** The agent's version, with "behind" when the panel serves a newer one. */
export function AgentVersion({
  node,
}: {
  node: Pick<NodeSummary, "agentVersion" | "agentBehind">;
}) {
  if (!node.agentVersion) return <span className="text-fg-muted">—</span>;
  return (
    <span className="flex flex-wrap items-center gap-1">
      <span className="font-mono text-xs">{node.agentVersion}</span>
      {node.agentBehind ? <Badge tone="warn">behind</Badge> : null}
    </span>
  );
}

export function AgentCard({ node }: { node: NodeInfo }) {
  const me = useMe();
  const [taskId, setTaskId] = useState<string | null>(null);
  const served = node.agentUpgrade;
  const upgrade = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/nodes/{id}/agent-upgrade", {
          params: { path: { id: node.id } },
          body: { version: served.version },
        }),
      ),
    { invalidate: [["tasks"]], onSuccess: (r) => setTaskId(r.taskId) },
  );
  const enrolled = node.state === "trusted" || node.state === "unreachable";
  const running = node.agentVersion ?? "a version not reported yet";
  const actions =
    me.can.upgradeAgents && enrolled ? (
      <ActionsWithError error={upgrade.error}>
        <ConfirmButton
          variant={node.agentBehind ? "primary" : "secondary"}
          size="sm"
          disabled={!served.available}
          title={
            served.available ? undefined : `This panel has no build of agent ${served.version}`
          }
          mutation={upgrade}
          confirm={{
            title: `Upgrade the agent of ${node.name}?`,
            description: (
              <span className="grid gap-2 wrap-anywhere">
                <span>
                  <strong>{node.name}</strong> runs agent <strong>{running}</strong>; it will run{" "}
                  <strong>{served.version}</strong>, the version this panel serves.
                </span>
                <span>
                  The agent downloads the new build from the panel, checks its SHA-256, swaps it in
                  and restarts. If the new version does not answer within a minute, it goes back to
                  the previous one by itself. Sites keep running meanwhile.
                </span>
              </span>
            ),
            confirmLabel: "Upgrade agent",
          }}
        >
          <ArrowUpCircle className="h-4 w-4" aria-hidden="true" /> Upgrade agent
        </ConfirmButton>
      </ActionsWithError>
    ) : null;
  return (
    <Card title="Agent" actions={actions}>
      <div className="grid gap-4">
        <Rows>
          <Row label="Running">
            <AgentVersion node={node} />
          </Row>
          <Row label="Served by this panel">
            <span className="flex flex-wrap items-center gap-1">
              <span className="font-mono text-xs">{served.version}</span>
              {served.available ? null : (
                <span className="text-fg-muted">
                  (no build for this node's architecture: npm run build:agent)
                </span>
              )}
            </span>
          </Row>
        </Rows>
        {taskId ? <LatestTask taskId={taskId} /> : null}
      </div>
    </Card>
  );
}
