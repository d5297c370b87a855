// A compose app's stack on its page: its services with their images, its named volumes (what
// "Remove" keeps or deletes) and the file as it was given (`${VAR}` unresolved), which "Edit
// the file" changes: checked as it is typed (the contracts' own check, the app's variables
// standing for themselves), then `PUT /api/v1/apps/{id}/compose` deploys it (its variables
// kept); what the panel refuses shows under the file, naming each key. A git app's file is its
// repository's (as last deployed): changed by a push, not here.
import { checkCompose } from "@steward/contracts/apps";
import { useState } from "react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { ComposeIssues, refusedIssues } from "./app-compose-form.tsx";
import type { AppInfo } from "./apps-parts.tsx";

export function ComposeFileCard({ app }: { app: AppInfo }) {
  const compose = app.compose;
  const [editing, setEditing] = useState<string | null>(null);
  if (!compose) return null;
  return (
    <Card title="Compose stack">
      <dl className="grid gap-2 text-sm md:grid-cols-2">
        <div>
          <dt className="text-fg-muted">Services</dt>
          <dd>
            <ul>
              {compose.services.map((s) => (
                <li key={s.name}>
                  <span className="font-medium">{s.name}</span>{" "}
                  <span className="font-mono text-xs">{s.image ?? "(built)"}</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt className="text-fg-muted">Named volumes</dt>
          <dd className="font-mono text-xs">{compose.volumes.join(", ") || "none"}</dd>
        </div>
      </dl>
      {editing === null ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium">Compose file</summary>
          {compose.file ? (
            <pre className="mt-2 overflow-x-auto rounded bg-muted p-3 font-mono text-xs">
              {compose.file}
            </pre>
          ) : (
            <p className="mt-2 text-sm text-fg-muted">
              Read from the repository at the first deploy.
            </p>
          )}
          {app.git?.compose ? (
            <p className="mt-2 text-xs text-fg-muted">
              {app.git.compose} of the repository, as last deployed: push a change to it to
              redeploy.
            </p>
          ) : (
            <Button variant="secondary" className="mt-2" onClick={() => setEditing(compose.file)}>
              Edit the file
            </Button>
          )}
        </details>
      ) : (
        <FileEditor app={app} file={editing} setFile={setEditing} />
      )}
    </Card>
  );
}

function FileEditor({
  app,
  file,
  setFile,
}: {
  app: AppInfo;
  file: string;
  setFile: (file: string | null) => void;
}) {
  const save = useApiMutation(
    async (compose: string) =>
      unwrap(
        await api.PUT("/api/v1/apps/{id}/compose", {
          params: { path: { id: app.id } },
          body: { compose },
        }),
      ),
    { invalidate: [["app", app.id], ["apps"]], onSuccess: () => setFile(null) },
  );
  // the app's variables: a secret one (not shown) stands for itself in the check
  const env = Object.fromEntries(app.env.map((e) => [e.key, e.value ?? e.key]));
  const checked = checkCompose(file, { env });
  const issues = [
    ...(checked.ok ? [] : checked.issues),
    ...(save.isPending ? [] : refusedIssues(save.error)),
  ];
  const changed = file !== app.compose?.file;
  return (
    <div className="mt-3 grid gap-2">
      <label htmlFor="compose-edit" className="text-sm font-medium">
        Compose file
      </label>
      <Textarea
        id="compose-edit"
        value={file}
        onChange={(e) => setFile(e.target.value)}
        rows={16}
        spellCheck={false}
        className="font-mono text-xs"
        aria-invalid={issues.length ? true : undefined}
        aria-describedby={issues.length ? "compose-issues" : "compose-edit-hint"}
      />
      <p id="compose-edit-hint" className="text-xs text-fg-muted">
        Saving deploys the new file at once (a task); the variables stay as they are. A redeploy
        that fails brings the previous file's stack back.
      </p>
      <ComposeIssues issues={issues} />
      {save.error && !refusedIssues(save.error).length ? <ErrorAlert error={save.error} /> : null}
      <div className="flex gap-2">
        <Button
          onClick={() => save.mutate(file)}
          busy={save.isPending}
          disabled={!changed || !checked.ok}
        >
          Save and deploy
        </Button>
        <Button variant="secondary" onClick={() => setFile(null)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
