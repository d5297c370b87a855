// A node's firewall (super users, docs/firewall.md): where the last apply stands (with the
// seconds left before the node reverts, and Confirm when a person confirms), the saved rules,
// the blocked addresses with Unblock, and the editor that saves and applies new rules.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { FirewallForm } from "./node-firewall-form.tsx";

export type FirewallView = Schema<"/api/v1/nodes/{id}/firewall", "get">;
export type FirewallRule = FirewallView["rules"][number];

const TONES: Record<FirewallView["status"], BadgeTone> = {
  none: "neutral",
  applying: "info",
  pending: "warn",
  applied: "ok",
  reverted: "danger",
  failed: "danger",
};

export const firewallKey = (nodeId: string) => ["node", nodeId, "firewall"];

/** "ssh", "8000-8100/udp", or "every port" */
export const ruleWhat = (r: FirewallRule) =>
  r.service ?? (r.ports ? `${r.ports}/${r.protocol}` : "every port");

export function FirewallCard({ nodeId }: { nodeId: string }) {
  const [editing, setEditing] = useState(false);
  const query = useQuery({
    queryKey: firewallKey(nodeId),
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/nodes/{id}/firewall", { params: { path: { id: nodeId } } })),
    // an apply moves on by itself: look again while one runs
    refetchInterval: (q) =>
      q.state.data?.status === "applying" || q.state.data?.status === "pending" ? 1000 : false,
  });
  const fw = query.data;
  return (
    <Card
      title="Firewall"
      actions={
        fw && !editing && fw.status !== "pending" ? (
          <Button variant="secondary" onClick={() => setEditing(true)}>
            {fw.status === "none" ? "Set up" : "Change rules"}
          </Button>
        ) : undefined
      }
    >
      {query.error ? <ErrorAlert error={query.error} /> : null}
      {fw ? (
        <div className="grid gap-4 text-sm">
          <ApplyState fw={fw} />
          {editing ? (
            <FirewallForm fw={fw} onDone={() => setEditing(false)} />
          ) : (
            <>
              <RulesTable rules={fw.rules} />
              <Blocked fw={fw} />
            </>
          )}
        </div>
      ) : null}
    </Card>
  );
}

function ApplyState({ fw }: { fw: FirewallView }) {
  const left = useSecondsLeft(fw.revertAt);
  const confirm = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/nodes/{id}/firewall/confirm", {
          params: { path: { id: fw.node } },
        }),
      ),
    { invalidate: [firewallKey(fw.node)] },
  );
  if (fw.status === "none")
    return (
      <p>
        Steward does not manage this node's firewall. Set it up to allow services and ports, deny or
        block addresses and limit SSH connections; SSH and the agent's port stay open to the panel.
      </p>
    );
  return (
    <div className="grid gap-2">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={TONES[fw.status]}>{fw.status}</Badge>
        <span>
          revision {fw.revision}
          {fw.appliedRevision === null
            ? ", none applied yet"
            : `, the node runs ${fw.appliedRevision}`}
        </span>
      </p>
      {fw.status === "pending" ? (
        <Alert tone="warn">
          <p>
            The new rules are live. The node puts the previous ones back by itself in{" "}
            <strong data-testid="firewall-countdown">{left} s</strong> unless the apply is confirmed
            {fw.autoConfirm ? " (the panel confirms once it reaches the node again)." : "."}
          </p>
          {!fw.autoConfirm ? (
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <Button onClick={() => confirm.mutate(undefined)} disabled={confirm.isPending}>
                Keep the new rules
              </Button>
              <ErrorAlert error={confirm.error} />
            </div>
          ) : null}
        </Alert>
      ) : null}
      {fw.message && fw.status !== "pending" ? (
        <p className={fw.status === "applied" ? "text-fg-muted" : "text-danger wrap-anywhere"}>
          {fw.message}
        </p>
      ) : null}
    </div>
  );
}

function useSecondsLeft(iso: string | null) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!iso) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [iso]);
  return iso ? Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000)) : 0;
}

export function RulesTable({
  rules,
  onRemove,
}: {
  rules: FirewallRule[];
  onRemove?: (i: number) => void;
}) {
  if (!rules.length)
    return <p className="text-fg-muted">No rules: every port is closed but SSH and the agent's.</p>;
  return (
    <table className="w-full max-w-2xl">
      <thead className="text-left text-fg-muted">
        <tr>
          <th className="py-1 font-medium">Action</th>
          <th className="py-1 font-medium">Service or ports</th>
          <th className="py-1 font-medium">From</th>
          {onRemove ? <th className="py-1" /> : null}
        </tr>
      </thead>
      <tbody>
        {rules.map((r, i) => (
          <tr
            key={`${r.action}-${ruleWhat(r)}-${r.source ?? ""}`}
            className="border-t border-border"
          >
            <td className="py-1">
              <Badge tone={r.action === "allow" ? "ok" : "danger"}>{r.action}</Badge>
            </td>
            <td className="py-1 font-mono text-xs">{ruleWhat(r)}</td>
            <td className="py-1 font-mono text-xs break-all">{r.source ?? "anywhere"}</td>
            {onRemove ? (
              <td className="py-1 text-right">
                <Button size="sm" variant="ghost" onClick={() => onRemove(i)}>
                  Remove
                </Button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Blocked({ fw }: { fw: FirewallView }) {
  const unblock = useApiMutation(
    async (address: string) =>
      unwrap(
        await api.POST("/api/v1/nodes/{id}/firewall/unblock", {
          params: { path: { id: fw.node } },
          body: { address },
        }),
      ),
    { invalidate: [firewallKey(fw.node), ["tasks"]] },
  );
  return (
    <div className="grid gap-2">
      <p className="font-medium">
        Blocked addresses
        {fw.sshRateLimit
          ? ` · SSH limited to ${fw.sshRateLimit} new connections a minute per address`
          : ""}
        {fw.sshBans
          ? ` · ${fw.sshBans.maxFailures} failed SSH logins within ${fw.sshBans.findSeconds} s ban an address for ${fw.sshBans.banSeconds} s`
          : ""}
      </p>
      {fw.blocked.length ? (
        <ul className="grid gap-1">
          {fw.blocked.map((b) => (
            <li key={b} className="flex items-center gap-2">
              <span className="font-mono text-xs">{b}</span>
              <Button
                size="sm"
                variant="secondary"
                onClick={() => unblock.mutate(b)}
                disabled={unblock.isPending}
              >
                Unblock
              </Button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-fg-muted">None.</p>
      )}
      {unblock.data ? (
        <p className="text-fg-muted">
          {unblock.data.address}: the node takes it out of its blocked set (task {unblock.data.task}
          ).
        </p>
      ) : null}
      <ErrorAlert error={unblock.error} />
    </div>
  );
}
