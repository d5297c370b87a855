// Parts of the cron jobs page (docs/hosting.md#scheduled-runs-reported-back): a job's last run,
// now or scheduled (the node reports scheduled runs: the uid it ran as, its exit status and the
// end of its output), and its heartbeat monitor.
import { Note, RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import type { Schema } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";

export type CronJob = Schema<"/api/v1/cron-jobs/{id}", "get">;

export function LastRun({ job }: { job: CronJob }) {
  const run = job.lastRun;
  if (!run) return <Note>not run yet</Note>;
  if (run.state === "running") return <Badge tone="info">running</Badge>;
  return (
    <span className="grid justify-items-start gap-1">
      <Badge tone={run.exitCode === 0 ? "ok" : "danger"}>
        {run.exitCode === null ? "did not run" : `exit ${run.exitCode}`}
      </Badge>
      <Note>
        {run.kind === "scheduled" ? "scheduled" : "run now"}
        {run.at ? `, ${formatRelative(run.at)}` : ""}
        {run.uid !== null ? ` as uid ${run.uid}` : ""}
      </Note>
      {run.error ? <Note>{run.error}</Note> : null}
      {run.output ? (
        <details className="max-w-xs">
          <summary className="cursor-pointer text-xs text-fg-muted">output</summary>
          <pre className="mt-1 max-h-40 overflow-auto rounded bg-muted p-2 font-mono text-xs whitespace-pre-wrap break-words">
            {run.output}
          </pre>
        </details>
      ) : null}
    </span>
  );
}

export function HeartbeatLink({ job }: { job: CronJob }) {
  if (!job.heartbeatMonitorId) return null;
  // a link of its own (not inside a sentence: axe's link-in-text-block)
  return (
    <RecordLink to="/monitors/$id" id={job.heartbeatMonitorId} className="text-xs font-normal">
      heartbeat monitor
    </RecordLink>
  );
}
