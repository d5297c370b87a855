// What one can do with a site: apply a failed one again (Retry), edit it, suspend it (after a confirmation) or resume it, and
// delete it (typing its primary name, choosing whether its files stay on the node).
import { Pause, Pencil, Play, RotateCcw, Trash2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { TypeToConfirm } from "../components/type-to-confirm.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useDeleted } from "./access-parts.tsx";
import type { Site } from "./hosting-parts.tsx";
import { SiteFormDialog } from "./site-form.tsx";

const keysOf = (site: Site) => [["sites"], ["site", site.id], ["tasks"]];

export function SiteActions({ site }: { site: Site }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const path = { params: { path: { id: site.id } } };
  const opts = { invalidate: keysOf(site) };
  const suspend = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/sites/{id}/suspend", path)),
    opts,
  );
  const resume = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/sites/{id}/resume", path)),
    opts,
  );
  const retry = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/sites/{id}/retry", path)),
    opts,
  );
  const gone = site.status === "deleting";
  const name = site.domains[0] ?? site.id;
  return (
    <ActionsWithError error={suspend.error ?? resume.error ?? retry.error}>
      <div className="flex flex-wrap justify-end gap-2">
        {site.status === "failed" ? (
          <Button busy={retry.isPending} onClick={() => retry.mutate(undefined)}>
            <RotateCcw className="h-4 w-4" aria-hidden="true" /> Retry
          </Button>
        ) : null}
        <Button variant="secondary" disabled={gone} onClick={() => setEditing(true)}>
          <Pencil className="h-4 w-4" aria-hidden="true" /> Edit
        </Button>
        {site.suspended ? (
          <Button
            variant="secondary"
            disabled={gone}
            busy={resume.isPending}
            onClick={() => {
              suspend.reset();
              resume.mutate(undefined);
            }}
          >
            <Play className="h-4 w-4" aria-hidden="true" /> Resume
          </Button>
        ) : (
          <ConfirmButton
            variant="secondary"
            disabled={gone}
            busy={suspend.isPending}
            confirm={{
              title: "Suspend this site?",
              description: (
                <span className="wrap-anywhere">
                  Visitors of <strong>{name}</strong> get a “suspended” page (503) until you resume
                  it. Its files and settings stay as they are.
                </span>
              ),
              confirmLabel: "Suspend site",
            }}
            onConfirm={() => {
              resume.reset();
              suspend.mutate(undefined);
            }}
          >
            <Pause className="h-4 w-4" aria-hidden="true" /> Suspend
          </ConfirmButton>
        )}
        <Button variant="danger" disabled={gone} onClick={() => setDeleting(true)}>
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </Button>
      </div>
      <SiteFormDialog site={site} open={editing} onOpenChange={setEditing} onSaved={() => {}} />
      <DeleteSiteDialog site={site} open={deleting} onOpenChange={setDeleting} />
    </ActionsWithError>
  );
}

function DeleteSiteDialog({ site, open, onOpenChange }: DialogProps & { site: Site }) {
  const name = site.domains[0] ?? site.id;
  const [keepFiles, setKeepFiles] = useState(true);
  const [typed, setTyped] = useState("");
  const deleted = useDeleted();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/sites/{id}", {
          params: { path: { id: site.id }, query: { keepFiles: keepFiles ? "true" : "false" } },
        }),
      ),
    {
      invalidate: keysOf(site),
      onSuccess: () => {
        onOpenChange(false);
        deleted(`Deleting ${name}: its task removes it from the node.`, "/sites");
      },
    },
  );
  const change = resetOnClose(remove, (o: boolean) => {
    if (!o) {
      setTyped("");
      setKeepFiles(true);
    }
    onOpenChange(o);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed === name) remove.mutate(undefined);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title="Delete this site?"
      description={
        <span className="wrap-anywhere">
          nginx on the node stops serving <strong>{name}</strong> and its configuration is removed.
          The site disappears from here once its task has done that. This cannot be undone.
        </span>
      }
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <Checkbox
          label="Keep the files on the node"
          hint="The site's home directory (its files and logs) stays on the server. Untick to delete it too."
          checked={keepFiles}
          onChange={setKeepFiles}
        />
        <TypeToConfirm text={name} value={typed} onValue={setTyped} />
        <ErrorAlert error={remove.error} />
        <FormActions
          submitLabel="Delete site"
          busy={remove.isPending}
          onCancel={() => change(false)}
          danger
          disabled={typed !== name}
        />
      </form>
    </Dialog>
  );
}
