// A monitor's actions in the list: check now (its result shown, and recorded as a scheduled
// check's), pause or resume, edit, delete after a confirmation naming it.
import { Activity } from "lucide-react";
import { useState } from "react";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { When } from "./hosting-parts.tsx";
import { MonitorDialog } from "./monitors-form.tsx";
import type { Monitor } from "./monitors-parts.tsx";

const path = (monitor: Monitor) => ({ params: { path: { id: monitor.id } } });
const refresh = { invalidate: [["monitors"]] };

function CheckNowButton({ monitor }: { monitor: Monitor }) {
  const [open, setOpen] = useState(false);
  const check = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/monitors/{id}/check", path(monitor))),
    { ...refresh, onSuccess: () => setOpen(true) },
  );
  const result = check.data;
  const tone = result?.outcome === "up" ? "ok" : result?.outcome === "down" ? "danger" : "warn";
  return (
    <>
      <Button size="sm" variant="secondary" busy={check.isPending} onClick={() => check.mutate()}>
        <Activity className="h-3.5 w-3.5" aria-hidden="true" /> Check now
      </Button>
      <Dialog open={open} onOpenChange={setOpen} title={`Check of ${monitor.name}`}>
        {result ? (
          <div className="grid gap-2 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={tone}>{result.outcome}</Badge>
              {result.responseMs !== null ? <span>{result.responseMs} ms</span> : null}
              <When iso={result.at} />
            </p>
            {result.message ? <p className="wrap-anywhere">{result.message}</p> : null}
            <p className="text-xs text-fg-muted">
              Recorded with the monitor's results; its state follows as after a scheduled check.
            </p>
          </div>
        ) : null}
      </Dialog>
      {check.error ? <p className="text-xs text-danger">{String(check.error)}</p> : null}
    </>
  );
}

export function MonitorActions({ monitor }: { monitor: Monitor }) {
  const [editing, setEditing] = useState(false);
  const verb = monitor.paused ? "resume" : "pause";
  const toggle = useApiMutation(
    async () =>
      unwrap(
        monitor.paused
          ? await api.POST("/api/v1/monitors/{id}/resume", path(monitor))
          : await api.POST("/api/v1/monitors/{id}/pause", path(monitor)),
      ),
    refresh,
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/monitors/{id}", path(monitor))),
    refresh,
  );
  return (
    <>
      <EditDeleteActions
        noun="monitor"
        name={monitor.name}
        consequence="Its checks stop and its results are removed. Its past events stay."
        remove={remove}
        onEdit={() => setEditing(true)}
        error={toggle.error}
      >
        <CheckNowButton monitor={monitor} />
        <Button
          size="sm"
          variant="secondary"
          busy={toggle.isPending}
          onClick={() => toggle.mutate()}
        >
          {verb === "pause" ? "Pause" : "Resume"}
        </Button>
      </EditDeleteActions>
      <MonitorDialog monitor={monitor} open={editing} onOpenChange={setEditing} />
    </>
  );
}
