// One backup artifact: what it holds and where, its test restore (verified, or why not), and
// its actions: "Verify now" (a test restore, its task live below), "Download" (decrypted with
// the plan's panel key and decompressed, streamed by the panel) and the restore wizard
// (backup-restore-wizard.tsx). The backups list pages link here (/backups/artifacts/:id).
import { useQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { Download, ShieldCheck } from "lucide-react";
import { useState } from "react";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { formatBytes } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { DetailPage } from "./access-parts.tsx";
import { RestoreWizard } from "./backup-restore-wizard.tsx";
import { CodeRow, Row, Rows, When } from "./hosting-parts.tsx";
import { LatestTask } from "./site-task.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/backups/artifacts/$id");

export type Artifact = Item<"/api/v1/backup-artifacts">;

export function BackupArtifactPage() {
  const { id } = route.useParams();
  const [task, setTask] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["backup-artifacts", id],
    queryFn: async () =>
      unwrap(await api.GET("/api/v1/backup-artifacts/{id}", { params: { path: { id } } })),
    refetchInterval: task ? 3_000 : false,
  });
  const verify = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/backup-artifacts/{id}/verify", {
          params: { path: { id } },
          body: {},
        }),
      ),
    { invalidate: [["backup-artifacts"]], onSuccess: (out) => setTask(out.taskId) },
  );
  return (
    <DetailPage
      query={query}
      back={{ to: "/backups/artifacts", label: "Backup artifacts" }}
      header={(a) => ({
        title: a.name,
        description: `Backup of ${a.sourceDescription}`,
        actions: (
          <div className="flex flex-wrap justify-end gap-2">
            <Button
              variant="secondary"
              busy={verify.isPending}
              disabled={a.deletedAt !== null}
              onClick={() => verify.mutate(undefined)}
            >
              <ShieldCheck className="h-4 w-4" aria-hidden="true" /> Verify now
            </Button>
            {a.deletedAt === null ? (
              <a
                href={`/api/v1/backup-artifacts/${encodeURIComponent(a.id)}/download?decrypt=true`}
                download
                className="inline-flex h-9 items-center gap-2 rounded-md border border-border px-3 text-sm font-medium hover:bg-muted"
              >
                <Download className="h-4 w-4" aria-hidden="true" /> Download
              </a>
            ) : null}
          </div>
        ),
      })}
    >
      {(a) => (
        <div className="grid min-w-0 gap-4">
          <ErrorAlert error={verify.error} />
          {task ? (
            <Card title="Latest task">
              <LatestTask taskId={task} />
            </Card>
          ) : null}
          <div className="grid gap-4 lg:grid-cols-2">
            <ArtifactCard artifact={a} />
            {a.deletedAt === null ? (
              <RestoreWizard artifact={a} onStarted={setTask} />
            ) : (
              <Alert tone="warn">Retention deleted this artifact: it cannot be restored.</Alert>
            )}
          </div>
        </div>
      )}
    </DetailPage>
  );
}

function ArtifactCard({ artifact: a }: { artifact: Artifact }) {
  const accountName = useAccountName();
  return (
    <Card title="Artifact">
      <Rows>
        <Row label="Holds">{a.sourceDescription}</Row>
        <Row label="Account">{accountName(a.accountId)}</Row>
        <Row label="Size">{formatBytes(a.bytes)}</Row>
        <Row label="Encrypted">{a.name.endsWith(".enc") ? "yes" : "no"}</Row>
        <Row label="Made">
          <When iso={a.createdAt} />
        </Row>
        <Row label="Test restore">
          {a.verifiedAt ? (
            <span className="text-ok">
              verified <When iso={a.verifiedAt} />
            </span>
          ) : a.verifyError ? (
            <span className="text-danger">{a.verifyError}</span>
          ) : (
            "not yet"
          )}
        </Row>
        {a.deletedAt ? (
          <Row label="Deleted">
            <When iso={a.deletedAt} />
          </Row>
        ) : null}
        <CodeRow label="SHA-256" value={a.sha256} />
        <CodeRow label="Plan" value={a.planId} />
        <CodeRow label="Destination" value={a.destinationId} />
        <CodeRow label="Id" value={a.id} />
      </Rows>
    </Card>
  );
}
