// What a node's agent last reported about its machine: OS, kernel, CPUs, memory, disks (with
// how full they are) and the services Steward uses; how old that is, and asking again now.
import { useQueryClient } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { type ReactNode, useEffect, useState } from "react";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { AtRow, type NodeInfo, Row, Rows, When } from "./hosting-parts.tsx";

/** How much of a total is used, as a bar (red past 90%) with the numbers next to it. */
function Usage({ total, available, label }: { total: number; available: number; label: string }) {
  const used = Math.max(0, total - available);
  const pct = total > 0 ? Math.round((used / total) * 100) : 0;
  return (
    <div className="grid gap-1">
      {/* biome-ignore lint/a11y/useSemanticElements: a styled bar; <meter> looks different in every browser */}
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={`${pct}% used`}
        className="h-2 w-full max-w-64 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn("h-full rounded-full", pct >= 90 ? "bg-danger" : "bg-primary")}
          style={{ width: `${pct}%` }}
        />
      </div>
      <span className="text-xs text-fg-muted tabular-nums">
        {formatBytes(used)} of {formatBytes(total)} used ({pct}%), {formatBytes(available)} free
      </span>
    </div>
  );
}

/**
 * Asks the agent for its facts now (a node.facts task), then looks at the node every second
 * until newer facts arrive (at most 30 seconds).
 */
function RefreshFacts({ node }: { node: NodeInfo }) {
  const queryClient = useQueryClient();
  const [since, setSince] = useState<string | null>(null);
  const refresh = useApiMutation(async () =>
    unwrap(
      await api.POST("/api/v1/nodes/{id}/facts/refresh", { params: { path: { id: node.id } } }),
    ),
  );
  const collected = node.facts?.collectedAt ?? "";
  const waiting = since !== null && collected <= since;
  useEffect(() => {
    if (!waiting) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > 30_000) setSince(null);
      void queryClient.invalidateQueries({ queryKey: ["node", node.id], exact: true });
    }, 1_000);
    return () => clearInterval(timer);
  }, [waiting, node.id, queryClient]);
  return (
    <span className="flex flex-wrap items-center gap-2">
      {refresh.error ? (
        <span role="alert" className="text-sm text-danger">
          {refresh.error.message}
        </span>
      ) : null}
      <Button
        variant="secondary"
        size="sm"
        busy={refresh.isPending || waiting}
        onClick={() => {
          setSince(new Date().toISOString());
          refresh.mutate(undefined);
        }}
      >
        <RefreshCw className="h-4 w-4" aria-hidden="true" /> Refresh facts
      </Button>
    </span>
  );
}

export function FactsCard({ node, canRefresh }: { node: NodeInfo; canRefresh: boolean }) {
  const facts = node.facts;
  const enrolled = node.state === "trusted" || node.state === "unreachable";
  const actions = (
    <>
      {facts ? (
        <span className="text-sm text-fg-muted">
          reported <When iso={facts.collectedAt} />
        </span>
      ) : null}
      {canRefresh && enrolled ? <RefreshFacts node={node} /> : null}
    </>
  );
  if (!facts) {
    return (
      <Card title="Machine" actions={actions}>
        <p className="text-sm text-fg-muted">
          Nothing reported yet: the agent sends what it knows about its machine once it has
          enrolled.
        </p>
      </Card>
    );
  }
  return (
    <Card title="Machine" actions={actions}>
      <div className="grid gap-6">
        <Rows>
          <Row label="Host name">{facts.hostname}</Row>
          <Row label="Operating system">
            {`${facts.os.name} ${facts.os.version}`.trim()} ({facts.os.id})
          </Row>
          <Row label="Kernel">{facts.os.kernel}</Row>
          <Row label="Architecture">{facts.arch}</Row>
          <Row label="CPUs">{facts.cpus}</Row>
          <Row label="Memory">
            <Usage
              total={facts.memory.totalBytes}
              available={facts.memory.availableBytes}
              label="Memory used"
            />
          </Row>
          <Row label="systemd">{facts.systemd ? "yes" : "no"}</Row>
          <AtRow label="Reported" iso={facts.collectedAt} />
        </Rows>
        <Table label="Disks" headers={["Mount point", "Usage"]}>
          {facts.disks.map((d) => (
            <tr key={d.mount} className="border-b border-border last:border-0">
              <td className="px-3 py-2 align-top font-mono text-xs break-all">{d.mount}</td>
              <td className="px-3 py-2">
                <Usage
                  total={d.totalBytes}
                  available={d.availableBytes}
                  label={`Disk ${d.mount} used`}
                />
              </td>
            </tr>
          ))}
        </Table>
        <Table label="Services" headers={["Service", "Installed", "Version", "Running"]}>
          {facts.services.map((s) => (
            <tr key={s.name} className="border-b border-border last:border-0">
              <td className="px-3 py-2 font-medium break-words">{s.name}</td>
              <td className="px-3 py-2">
                {s.installed ? <Badge tone="ok">yes</Badge> : <Badge>no</Badge>}
              </td>
              <td className="px-3 py-2 break-all">{s.version ?? "—"}</td>
              <td className="px-3 py-2">
                {s.running === null ? (
                  <span className="text-fg-muted">—</span>
                ) : s.running ? (
                  <Badge tone="ok">running</Badge>
                ) : (
                  <Badge tone="warn">stopped</Badge>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </div>
    </Card>
  );
}

function Table({
  label,
  headers,
  children,
}: {
  label: string;
  headers: string[];
  children: ReactNode[];
}) {
  if (children.length === 0)
    return (
      <div className="grid gap-2">
        <h3 className="text-sm font-semibold">{label}</h3>
        <p className="text-sm text-fg-muted">None reported.</p>
      </div>
    );
  return (
    <div className="grid gap-2">
      <h3 className="text-sm font-semibold">{label}</h3>
      <div className="overflow-x-auto rounded-md border border-border">
        <table className="w-full text-left text-sm" aria-label={label}>
          <thead className="border-b border-border bg-muted/60 text-xs text-fg-muted uppercase">
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    </div>
  );
}
