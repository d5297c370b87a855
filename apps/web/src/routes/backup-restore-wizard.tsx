// The restore wizard of an artifact: what it holds decides the target's kind (a database dump:
// a database server of the account and a name, the same or another; files: a path of a node,
// super users'), then a dry run lists what would change (the task's result), then "Restore"
// asks to confirm naming what is replaced. An artifact encrypted for the user's own keys
// needs their private key (held sealed for its task only). A MongoDB archive: backup-restore-mongo.tsx.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input, Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import type { Artifact } from "./backup-artifact.tsx";
import { ALL_DATABASES, MongoFields } from "./backup-restore-mongo.tsx";
import { useServerOptions } from "./databases-parts.tsx";
import type { Task } from "./tasks-parts.tsx";

interface Preview {
  target: string;
  existed: boolean;
  created: string[];
  replaced: string[];
  counts: { created: number; replaced: number };
}

const FINAL = ["succeeded", "failed", "cancelled"];

/** The dry run's task until it ends: its result once it succeeded. */
function useDryRun(taskId: string | null) {
  return useQuery({
    queryKey: ["task", taskId],
    enabled: taskId !== null,
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/tasks/{id}", { params: { path: { id: taskId ?? "" } } }),
      ) as Task,
    refetchInterval: (q) => (q.state.data && FINAL.includes(q.state.data.state) ? false : 1_000),
  });
}

export function RestoreWizard({
  artifact,
  onStarted,
}: {
  artifact: Artifact;
  onStarted: (taskId: string) => void;
}) {
  const files = /\.tar\.zst(\.enc)?$/.test(artifact.name);
  const mongo = /\.archive\.zst(\.enc)?$/.test(artifact.name);
  const [serverId, setServerId] = useState("");
  const [sourceId, setSourceId] = useState("");
  const [drop, setDrop] = useState(false);
  const [database, setDatabase] = useState(
    files || artifact.sourceDescription === ALL_DATABASES ? "" : artifact.sourceDescription,
  );
  const [replace, setReplace] = useState(false);
  const [path, setPath] = useState(files ? artifact.sourceDescription : "");
  const [identity, setIdentity] = useState("");
  const [dryTask, setDryTask] = useState<string | null>(null);
  const servers = useServerOptions();
  const confirm = useConfirm();
  const dry = useDryRun(dryTask);
  const body = (dryRun: boolean) => ({
    target: files
      ? { kind: "files" as const, path: path === artifact.sourceDescription ? null : path }
      : mongo
        ? {
            kind: "mongodb" as const,
            sourceId: sourceId || null,
            database: database && database !== artifact.sourceDescription ? database : null,
            drop,
          }
        : {
            kind: "database" as const,
            serverId: serverId || null,
            database: database || null,
            replace,
          },
    dryRun,
    ...(identity.trim() ? { identity: identity.trim() } : {}),
  });
  const start = useApiMutation(
    async (dryRun: boolean) =>
      unwrap(
        await api.POST("/api/v1/backup-artifacts/{id}/restore", {
          params: { path: { id: artifact.id } },
          body: body(dryRun),
        }),
      ),
    {
      onSuccess: (out) => (out.dryRun ? setDryTask(out.taskId) : onStarted(out.taskId)),
    },
  );
  const preview =
    dry.data?.state === "succeeded" ? (dry.data.result as unknown as Preview) : undefined;
  const where = files ? path || "its place" : database || artifact.sourceDescription;

  async function restore() {
    const replaced = preview?.replaced ?? [];
    const ok = await confirm({
      title: files ? `Restore files into ${where}?` : `Restore into database ${where}?`,
      description: mongo
        ? drop
          ? `Each collection of the archive is dropped in ${where}, then restored.`
          : `The archive's documents are inserted into ${where}; existing collections are kept.`
        : files
          ? `${preview?.counts.replaced ?? 0} existing file(s) are overwritten${replaced.length ? `: ${replaced.slice(0, 5).join(", ")}${replaced.length > 5 ? "…" : ""}` : ""}; ${preview?.counts.created ?? 0} are created.`
          : preview?.existed
            ? `The database ${where} exists and is replaced as a whole (its tables: ${replaced.slice(0, 8).join(", ") || "none"}).`
            : `A new database ${where} is made from the artifact.`,
      confirmLabel: "Restore",
      ...((preview?.existed && !files) || (mongo && drop) ? { typeToConfirm: where } : {}),
    });
    if (ok) start.mutate(false);
  }

  return (
    <Card title="Restore">
      <form
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          setDryTask(null);
          start.mutate(true);
        }}
      >
        <p className="text-sm text-fg-muted">
          {files
            ? "Files go back where they were read, or into another absolute path of the node."
            : mongo
              ? "The archive goes to the deployment of a MongoDB source of the account, through mongorestore on its node."
              : "The dump goes into the same database, another name, or another server of the account."}
        </p>
        {mongo ? (
          <MongoFields
            artifact={artifact}
            {...{ sourceId, setSourceId, database, setDatabase, drop, setDrop }}
          />
        ) : files ? (
          <Field label="Path">
            <Input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/srv/www" />
          </Field>
        ) : (
          <>
            <Field label="Database server" hint="Empty: the server it was dumped from">
              <Select value={serverId} onChange={(e) => setServerId(e.target.value)}>
                <option value="">The same server</option>
                {(servers.data ?? [])
                  .filter((s) => s.accountId === artifact.accountId)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
              </Select>
            </Field>
            <Field label="Database" hint="Another name restores it renamed">
              <Input value={database} onChange={(e) => setDatabase(e.target.value)} />
            </Field>
            <Checkbox
              label="Replace the database if it exists"
              checked={replace}
              onChange={setReplace}
            />
          </>
        )}
        {artifact.name.endsWith(".enc") ? (
          <Field
            label="Private key (recipients plans only)"
            hint="Empty: the plan's panel key. Sent for this restore only, never stored."
          >
            <Textarea
              value={identity}
              onChange={(e) => setIdentity(e.target.value)}
              rows={2}
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        ) : null}
        <ErrorAlert error={start.error} />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="secondary" busy={start.isPending && start.variables}>
            Preview (dry run)
          </Button>
          <Button
            variant="danger"
            disabled={!preview}
            busy={start.isPending && !start.variables}
            onClick={() => void restore()}
          >
            Restore…
          </Button>
        </div>
        {dryTask && !preview ? (
          <p className="text-sm text-fg-muted" role="status">
            {dry.data && FINAL.includes(dry.data.state)
              ? `The dry run ${dry.data.state}: ${dry.data.lastError ?? ""}`
              : "Reading the artifact…"}
          </p>
        ) : null}
        {preview && mongo ? (
          <p className="text-sm" role="status">
            mongorestore's dry run read the whole archive into {preview.target}: nothing written.
          </p>
        ) : preview ? (
          <PreviewList preview={preview} files={files} />
        ) : null}
      </form>
    </Card>
  );
}

function PreviewList({ preview, files }: { preview: Preview; files: boolean }) {
  const head = files
    ? `${preview.counts.created} to create, ${preview.counts.replaced} to overwrite in ${preview.target}`
    : preview.existed
      ? `${preview.target} exists: its ${preview.counts.replaced} table(s) would be replaced`
      : `${preview.target} does not exist: it would be made`;
  return (
    <section className="grid gap-2 text-sm" aria-label="What would change">
      <p className="font-medium">{head}</p>
      {preview.replaced.length > 0 ? (
        <ul className="max-h-40 overflow-auto font-mono text-xs">
          {preview.replaced.slice(0, 50).map((p) => (
            <li key={p} className="break-all text-danger">
              {files ? "overwrite" : "replace"} {p}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.created.length > 0 ? (
        <ul className="max-h-40 overflow-auto font-mono text-xs">
          {preview.created.slice(0, 50).map((p) => (
            <li key={p} className="break-all">
              create {p}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
