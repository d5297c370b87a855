// A CMS site's PHP file change scanner (docs/cms.md#tools): run a scan (a task; operators),
// its scans newest first, the files one scan found new or modified with their threat score, and
// one result's details (what the score counted, or Admin Tools' diff).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ActionsWithError } from "../components/confirm-button.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { CmsSite } from "./cms-parts.tsx";

const scanKeys = {
  scans: (site: string) => ["cms-sites", "scans", site] as const,
  alerts: (site: string, scan: number) => ["cms-sites", "scans", site, scan] as const,
  alert: (site: string, alert: number) => ["cms-sites", "scan-alert", site, alert] as const,
};

const threatTone = (score: number): BadgeTone =>
  score >= 50 ? "danger" : score > 0 ? "warn" : "neutral";

export function ScannerCard({ site }: { site: CmsSite }) {
  const path = { params: { path: { id: site.id } } };
  const [task, setTask] = useState<string | null>(null);
  const [scan, setScan] = useState<number | null>(null);
  const scans = useQuery({
    queryKey: scanKeys.scans(site.id),
    queryFn: async () => unwrap(await api.GET("/api/v1/cms-sites/{id}/scans", path)),
    refetchInterval: task ? 5_000 : false,
  });
  const run = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/cms-sites/{id}/scan", path)),
    { invalidate: [scanKeys.scans(site.id)], onSuccess: (out) => setTask(out.taskId) },
  );
  const items = scans.data?.items ?? [];
  return (
    <Card
      title="File change scanner"
      actions={
        site.can.useTools ? (
          <ActionsWithError error={run.error}>
            <Button size="sm" busy={run.isPending} onClick={() => run.mutate()}>
              Run scan
            </Button>
          </ActionsWithError>
        ) : null
      }
    >
      <div className="grid gap-3 text-sm">
        {task ? (
          <p>
            Scanning in task{" "}
            <RecordLink to="/tasks/$id" id={task} className="font-mono">
              {task}
            </RecordLink>
            ; the list follows it.
          </p>
        ) : null}
        <ErrorAlert error={scans.error} />
        {scans.isPending ? (
          <p className="text-fg-muted">Loading…</p>
        ) : items.length === 0 && !scans.error ? (
          <p className="text-fg-muted">No scan yet. The first scan is the baseline.</p>
        ) : (
          <table className="w-full">
            <caption className="sr-only">Scans of {site.name}</caption>
            <thead className="text-left text-fg-muted">
              <tr>
                <th className="py-1 font-medium">Scan</th>
                <th className="py-1 font-medium">Started</th>
                <th className="py-1 font-medium">New</th>
                <th className="py-1 font-medium">Modified</th>
                <th className="py-1 font-medium">Files</th>
                <th className="py-1" />
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id} className="border-t border-border">
                  <td className="py-1.5 tabular-nums">#{s.id}</td>
                  <td className="py-1.5">{s.startedAt.replace("T", " ").slice(0, 19)}</td>
                  <td className="py-1.5 tabular-nums">{s.filesNew}</td>
                  <td className="py-1.5 tabular-nums">{s.filesModified}</td>
                  <td className="py-1.5 tabular-nums">{s.totalFiles}</td>
                  <td className="py-1.5 text-right">
                    <Button
                      size="sm"
                      variant={scan === s.id ? "primary" : "secondary"}
                      aria-pressed={scan === s.id}
                      onClick={() => setScan(scan === s.id ? null : s.id)}
                    >
                      Results
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {scan !== null ? <ScanResults site={site} scan={scan} /> : null}
      </div>
    </Card>
  );
}

function ScanResults({ site, scan }: { site: CmsSite; scan: number }) {
  const [alert, setAlert] = useState<number | null>(null);
  const results = useQuery({
    queryKey: scanKeys.alerts(site.id, scan),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/cms-sites/{id}/scans/{scan}", {
          params: { path: { id: site.id, scan: String(scan) } },
        }),
      ),
  });
  const items = results.data?.items ?? [];
  return (
    <section
      className="grid gap-2 border-t border-border pt-3"
      aria-label={`Results of scan ${scan}`}
    >
      <h3 className="font-semibold">Results of scan #{scan}</h3>
      <ErrorAlert error={results.error} />
      {results.isPending ? (
        <p className="text-fg-muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="text-fg-muted">No new or modified file.</p>
      ) : (
        <ul className="grid gap-1">
          {items.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                className="flex w-full flex-wrap items-center gap-2 rounded-md px-2 py-1 text-left hover:bg-muted aria-pressed:bg-muted"
                aria-pressed={alert === a.id}
                onClick={() => setAlert(alert === a.id ? null : a.id)}
              >
                <Badge tone={threatTone(a.threatScore)}>threat {a.threatScore}</Badge>
                <Badge tone={a.status === "modified" ? "warn" : "info"}>{a.status}</Badge>
                <span className="font-mono text-xs break-all">{a.path}</span>
              </button>
              {alert === a.id ? <ResultDetail site={site} alert={a.id} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ResultDetail({ site, alert }: { site: CmsSite; alert: number }) {
  const detail = useQuery({
    queryKey: scanKeys.alert(site.id, alert),
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/cms-sites/{id}/scan-alerts/{alert}", {
          params: { path: { id: site.id, alert: String(alert) } },
        }),
      ),
  });
  const d = detail.data;
  return (
    <div className="ml-2 grid gap-2 border-l-2 border-border py-2 pl-3">
      <ErrorAlert error={detail.error} />
      {d?.findings?.length ? (
        <ul className="grid gap-1">
          {d.findings.map((f) => (
            <li key={`${f.signature}:${f.line}`} className="grid gap-0.5">
              <span>
                <span className="font-medium">{f.signature}</span>
                <span className="text-fg-muted"> at line {f.line}</span>
              </span>
              <code className="rounded bg-muted px-2 py-1 font-mono text-xs break-all">
                {f.text}
              </code>
            </li>
          ))}
        </ul>
      ) : d?.diff ? (
        <pre className="max-h-80 overflow-auto rounded bg-muted p-2 font-mono text-xs">
          {d.diff}
        </pre>
      ) : d ? (
        <p className="text-fg-muted">
          No signature matched: the file is new or changed, nothing more.
        </p>
      ) : null}
    </div>
  );
}
