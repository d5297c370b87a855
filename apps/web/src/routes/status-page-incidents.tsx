// A status page's incident notes: newest first, each with its severity, when it started and
// whether it is resolved, its Markdown body as written (the public page renders it); add one,
// edit it, resolve it (or open it again), delete it.

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ApiForm } from "../components/api-form.tsx";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { PickField } from "./channel-fields.tsx";
import { When } from "./hosting-parts.tsx";
import { type Incident, SEVERITIES, type Severity, SeverityBadge } from "./status-pages-parts.tsx";

interface IncidentInput {
  title: string;
  body: string;
  severity: Severity;
  resolvedAt?: string | null;
}

export function IncidentsCard({ pageId }: { pageId: string }) {
  const [adding, setAdding] = useState(false);
  const incidents = useQuery({
    queryKey: ["status-page", pageId, "incidents"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/status-pages/{id}/incidents", {
          params: { path: { id: pageId } },
        }),
      ),
  });
  const items = incidents.data ?? [];
  return (
    <Card
      title="Incidents"
      actions={<AddButton size="sm" label="New incident" onClick={() => setAdding(true)} />}
    >
      {items.length ? (
        <ul className="grid gap-3">
          {items.map((incident) => (
            <IncidentItem key={incident.id} pageId={pageId} incident={incident} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-fg-muted">
          No incidents. When something goes wrong, tell your visitors here.
        </p>
      )}
      <IncidentDialog pageId={pageId} open={adding} onOpenChange={setAdding} />
    </Card>
  );
}

function IncidentItem({ pageId, incident }: { pageId: string; incident: Incident }) {
  const [editing, setEditing] = useState(false);
  const path = { params: { path: { id: pageId, incident: incident.id } } };
  const invalidate = [["status-page", pageId, "incidents"]];
  const resolve = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/status-pages/{id}/incidents/{incident}", {
          ...path,
          body: { resolvedAt: incident.resolvedAt ? null : new Date().toISOString() },
        }),
      ),
    { invalidate },
  );
  const remove = useApiMutation(
    async () => unwrap(await api.DELETE("/api/v1/status-pages/{id}/incidents/{incident}", path)),
    { invalidate },
  );
  return (
    <li className="grid gap-2 rounded-md border border-border p-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <p className="font-medium wrap-anywhere">{incident.title}</p>
          <p className="flex flex-wrap items-center gap-2 text-xs text-fg-muted">
            <SeverityBadge severity={incident.severity} />
            <span>
              started <When iso={incident.startedAt} />
            </span>
            <span>
              {incident.resolvedAt ? (
                <>
                  resolved <When iso={incident.resolvedAt} />
                </>
              ) : (
                "ongoing"
              )}
            </span>
          </p>
        </div>
        <EditDeleteActions
          noun="incident"
          name={incident.title}
          consequence="It disappears from the public page."
          remove={remove}
          onEdit={() => setEditing(true)}
          error={resolve.error}
        >
          <Button
            size="sm"
            variant="secondary"
            busy={resolve.isPending}
            onClick={() => resolve.mutate(undefined)}
          >
            {incident.resolvedAt ? "Reopen" : "Resolve"}
          </Button>
        </EditDeleteActions>
      </div>
      {incident.body ? (
        <p className="text-sm whitespace-pre-wrap wrap-anywhere text-fg-muted">{incident.body}</p>
      ) : null}
      <IncidentDialog
        pageId={pageId}
        incident={incident}
        open={editing}
        onOpenChange={setEditing}
      />
    </li>
  );
}

function IncidentDialog({
  pageId,
  incident,
  open,
  onOpenChange,
}: DialogProps & { pageId: string; incident?: Incident }) {
  const save = useApiMutation(
    async (body: IncidentInput) =>
      incident
        ? unwrap(
            await api.PATCH("/api/v1/status-pages/{id}/incidents/{incident}", {
              params: { path: { id: pageId, incident: incident.id } },
              body,
            }),
          )
        : unwrap(
            await api.POST("/api/v1/status-pages/{id}/incidents", {
              params: { path: { id: pageId } },
              body,
            }),
          ),
    {
      invalidate: [["status-page", pageId, "incidents"]],
      onSuccess: () => onOpenChange(false),
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={incident ? "Edit incident" : "New incident"}
    >
      {(done) => <IncidentForm incident={incident} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function IncidentForm({
  incident,
  mutation,
  onCancel,
}: {
  incident?: Incident;
  mutation: Parameters<typeof ApiForm<IncidentInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(incident?.title ?? "");
  const [severity, setSeverity] = useState<Severity>(incident?.severity ?? "minor");
  const [body, setBody] = useState(incident?.body ?? "");
  return (
    <ApiForm
      mutation={mutation}
      input={{ title: title.trim(), severity, body }}
      shown={["title", "severity"]}
      submitLabel={incident ? "Save" : "Publish incident"}
      onCancel={onCancel}
    >
      <TextField label="Title" field="title" value={title} onValue={setTitle} maxLength={200} />
      <PickField
        label="Severity"
        field="severity"
        value={severity}
        onValue={(v) => setSeverity(v as Severity)}
        options={SEVERITIES.map((s) => ({ value: s, label: s }))}
      />
      <Field
        label="What happened (Markdown)"
        hint="**bold**, *italic*, lists, `code` and http(s) or mailto links. HTML is shown as text."
      >
        <Textarea
          className="min-h-32"
          maxLength={10_000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </Field>
    </ApiForm>
  );
}
