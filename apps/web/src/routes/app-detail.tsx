// An app: its state, containers (as the last deployments reported them), environment (secret
// values never shown), its git source and domain, deployments with their logs, actions (start, stop keeping the
// container, restart, deploy again, remove with or without its volumes, named), live logs
// (server-sent events, filterable) and a chart of its memory and CPU.
import { useNavigate, useParams } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { PageHeader } from "../components/page.tsx";
import { Sparkline } from "../components/sparkline.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { ComposeFileCard } from "./app-compose-parts.tsx";
import { AppSource, Deployments } from "./app-git-parts.tsx";
import { type AppInfo, AppStatus, portsText, useApp } from "./apps-parts.tsx";
import { NodeLink } from "./hosting-parts.tsx";

export function AppDetailPage() {
  const { id } = useParams({ from: "/app/apps/$id" });
  const app = useApp(id);
  if (app.error) return <ErrorAlert error={app.error} />;
  if (!app.data) return null;
  const a = app.data;
  return (
    <>
      <PageHeader
        title={a.name}
        description={
          <>
            <AppStatus status={a.status} /> <span className="font-mono">{a.image}</span> on{" "}
            <NodeLink id={a.nodeId} /> as <span className="font-mono">{a.runtimeName}</span>, ports{" "}
            {portsText(a.ports)}
          </>
        }
        actions={<Actions app={a} />}
      />
      <div className="grid gap-4">
        {a.lastError ? <ErrorAlert error={new Error(a.lastError)} /> : null}
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={a.compose ? "Services" : "Containers"}>
            <ul className="grid gap-1 text-sm">
              {(a.deployments.find((d) => d.status === "succeeded")?.containers ?? []).map((c) => (
                <li key={c.id}>
                  {c.service ? <span className="font-medium">{c.service}: </span> : null}
                  <span className={c.service ? "font-mono text-xs" : "font-medium"}>{c.name}</span>{" "}
                  <span className="text-fg-muted">
                    {[c.health ?? c.state, ...c.ports.map((p) => `${p.host}→${p.container}`)].join(
                      ", ",
                    )}
                  </span>
                </li>
              ))}
            </ul>
          </Card>
          <Card title="Environment">
            <ul className="grid gap-1 font-mono text-xs">
              {a.env.map((e) => (
                <li key={e.key}>
                  {e.key}=
                  {e.secret ? <span className="text-fg-muted">(secret, write-only)</span> : e.value}
                </li>
              ))}
              {a.env.length ? null : <li className="font-sans text-fg-muted">none</li>}
            </ul>
          </Card>
        </div>
        <AppSource app={a} />
        <Stats id={a.id} />
        <Logs id={a.id} />
        {a.compose ? <ComposeFileCard app={a} /> : null}
        <Deployments app={a} />
      </div>
    </>
  );
}

function Actions({ app }: { app: AppInfo }) {
  const navigate = useNavigate();
  const [removing, setRemoving] = useState(false);
  const [volumes, setVolumes] = useState(false);
  const path = { params: { path: { id: app.id } } };
  const invalidate = [["app", app.id], ["apps"]];
  const act = useApiMutation(
    async (verb: "start" | "stop" | "restart" | "deploy") =>
      unwrap(await api.POST(`/api/v1/apps/{id}/${verb}`, path)),
    { invalidate },
  );
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/apps/{id}", {
          params: { path: { id: app.id }, query: { volumes: volumes ? "true" : "false" } },
        }),
      ),
    { invalidate: [["apps"]], onSuccess: () => navigate({ to: "/apps" }) },
  );
  const names = (app.compose?.volumes ?? app.volumes.map((v) => v.source)).join(", ");
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap gap-2">
        {app.status === "stopped" ? (
          <Button variant="secondary" onClick={() => act.mutate("start")} busy={act.isPending}>
            Start
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => act.mutate("stop")} busy={act.isPending}>
            Stop
          </Button>
        )}
        <Button variant="secondary" onClick={() => act.mutate("restart")}>
          Restart
        </Button>
        <Button variant="secondary" onClick={() => act.mutate("deploy")}>
          Deploy again
        </Button>
        <Button variant="danger" onClick={() => setRemoving(!removing)}>
          Remove
        </Button>
      </div>
      {removing ? (
        <div className="grid gap-2 rounded-md border border-border p-3 text-sm">
          <Checkbox
            label={`Also delete its volumes${names ? ` (${names})` : " (none)"}`}
            checked={volumes}
            onChange={setVolumes}
          />
          <p className="text-fg-muted">
            {volumes
              ? `Deletes the containers and ${names || "no volumes"}.`
              : `Deletes the containers; keeps ${names || "no volumes"}.`}
          </p>
          <Button variant="danger" onClick={() => remove.mutate(undefined)} busy={remove.isPending}>
            Remove {app.name}
          </Button>
        </div>
      ) : null}
      {act.error ? <ErrorAlert error={act.error} /> : null}
      {remove.error ? <ErrorAlert error={remove.error} /> : null}
    </div>
  );
}

function Stats({ id }: { id: string }) {
  const [stats, setStats] = useState<{
    current: {
      cpuPercent: number;
      memoryBytes: number;
      netRxBytes: number;
      netTxBytes: number;
    } | null;
    history: { memoryBytes: number; cpuPercent: number }[];
  } | null>(null);
  useEffect(() => {
    let live = true;
    const read = async () => {
      const r = await api.GET("/api/v1/apps/{id}/stats", { params: { path: { id } } });
      if (live && r.data) setStats(r.data);
    };
    void read();
    const t = setInterval(read, 5_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [id]);
  const c = stats?.current;
  return (
    <Card title="Stats">
      {c ? (
        <div className="flex flex-wrap items-center gap-6 text-sm">
          <span>CPU {c.cpuPercent}%</span>
          <span>memory {formatBytes(c.memoryBytes)}</span>
          <span>
            network ↓{formatBytes(c.netRxBytes)} ↑{formatBytes(c.netTxBytes)}
          </span>
          <Sparkline
            points={(stats?.history ?? []).map((s) => ({ ok: true, ms: s.memoryBytes }))}
            width={240}
          />
        </div>
      ) : (
        <p className="text-sm text-fg-muted">No running container.</p>
      )}
    </Card>
  );
}

function Logs({ id }: { id: string }) {
  const [filter, setFilter] = useState("");
  const [lines, setLines] = useState<{ at: string; container: string; text: string }[]>([]);
  useEffect(() => {
    setLines([]);
    const q = filter ? `?filter=${encodeURIComponent(filter)}` : "";
    const source = new EventSource(`/api/v1/apps/${encodeURIComponent(id)}/logs${q}`);
    source.addEventListener("log", (e) => {
      const line = JSON.parse((e as MessageEvent<string>).data);
      setLines((l) => [...l.slice(-499), line]);
    });
    return () => source.close();
  }, [id, filter]);
  return (
    <Card
      title="Logs"
      actions={
        <Input
          aria-label="Filter"
          placeholder="filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          className="h-8 w-48"
        />
      }
    >
      <pre className="max-h-80 overflow-auto text-xs whitespace-pre-wrap">
        {lines.map((l) => `${l.container} ${l.at.slice(11, 19)} ${l.text}`).join("\n") ||
          "No lines yet."}
      </pre>
    </Card>
  );
}
