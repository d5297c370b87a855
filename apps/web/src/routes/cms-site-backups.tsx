// A Joomla site's Akeeba Backup records on its Tools tab (docs/cms.md#tools): readers see them,
// operators take one (a task), admins download and delete them.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { CmsSite } from "./cms-parts.tsx";

export function BackupsCard({ site }: { site: CmsSite }) {
  const path = { params: { path: { id: site.id } } };
  const key = ["cms-sites", "backups", site.id];
  const [task, setTask] = useState<string | null>(null);
  const backups = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET("/api/v1/cms-sites/{id}/backups", path)),
    refetchInterval: task ? 5_000 : false,
  });
  const take = useApiMutation(
    async () =>
      unwrap(await api.POST("/api/v1/cms-sites/{id}/backups", { ...path, body: { profile: 1 } })),
    { invalidate: [key], onSuccess: (out) => setTask(out.taskId) },
  );
  const remove = useApiMutation(
    async (record: number) =>
      unwrap(
        await api.DELETE("/api/v1/cms-sites/{id}/backups/{record}", {
          params: { path: { id: site.id, record: String(record) } },
        }),
      ),
    { invalidate: [key] },
  );
  const records = backups.data?.records ?? [];
  return (
    <Card
      title="Akeeba Backup"
      actions={
        site.can.useTools ? (
          <Button size="sm" busy={take.isPending} onClick={() => take.mutate()}>
            Take a backup
          </Button>
        ) : null
      }
    >
      <div className="grid gap-2 text-sm">
        {task ? (
          <p>
            Backing up in task{" "}
            <RecordLink to="/tasks/$id" id={task} className="font-mono">
              {task}
            </RecordLink>
            .
          </p>
        ) : null}
        <ErrorAlert error={backups.error ?? take.error ?? remove.error} />
        {records.length === 0 ? (
          <p className="text-fg-muted">{backups.isPending ? "Loading…" : "No backup."}</p>
        ) : (
          <ul className="grid gap-1">
            {records.map((r) => (
              <li
                key={r.id}
                className="flex flex-wrap items-center gap-2 border-t border-border py-1"
              >
                <span className="tabular-nums">#{r.id}</span>
                <span className="flex-1">{r.description}</span>
                <Badge tone={r.status === "complete" ? "ok" : "warn"}>{r.status}</Badge>
                {site.can.manage && r.filesExist ? (
                  <a
                    className="underline"
                    href={`/api/v1/cms-sites/${site.id}/backups/${r.id}/download`}
                  >
                    Download
                  </a>
                ) : null}
                {site.can.manage ? (
                  <ConfirmButton
                    size="sm"
                    variant="ghost"
                    confirm={{ title: `Delete backup #${r.id}?`, confirmLabel: "Delete backup" }}
                    onConfirm={() => remove.mutate(r.id)}
                  >
                    Delete
                  </ConfirmButton>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
