// Creating a group and editing one: the same form in two dialogs.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { TextField } from "../components/text-field.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import type { Group } from "./groups.tsx";

function GroupForm({
  initial,
  submitLabel,
  onSubmit,
  error,
  busy,
  onCancel,
}: {
  initial: { name: string; description: string };
  submitLabel: string;
  onSubmit: (v: { name: string; description: string }) => void;
  error: unknown;
  busy: boolean;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  return (
    <ApiForm
      onSubmit={() => onSubmit({ name: name.trim(), description })}
      error={error}
      shown={["name", "description"]}
      busy={busy}
      submitLabel={submitLabel}
      onCancel={onCancel}
    >
      <TextField
        label="Name"
        hint="Lowercase letters, digits and dashes, starting with a letter."
        error={fieldError(error, "name")}
        value={name}
        onValue={setName}
        maxLength={63}
        autoComplete="off"
      />
      <TextField
        label="Description"
        hint="Optional."
        error={fieldError(error, "description")}
        value={description}
        onValue={setDescription}
        maxLength={500}
        autoComplete="off"
      />
    </ApiForm>
  );
}

export function CreateGroupDialog({
  open,
  onOpenChange,
  onCreated,
}: DialogProps & {
  onCreated: (id: string) => void;
}) {
  const create = useApiMutation(
    async (v: { name: string; description: string }) =>
      unwrap(await api.POST("/api/v1/groups", { body: v })),
    {
      invalidate: [["groups"]],
      onSuccess: (g) => {
        onOpenChange(false);
        onCreated(g.id);
      },
    },
  );
  return (
    <Dialog open={open} onOpenChange={resetOnClose(create, onOpenChange)} title="New group">
      {open ? (
        <GroupForm
          initial={{ name: "", description: "" }}
          submitLabel="Create group"
          onSubmit={(v) => create.mutate(v)}
          error={create.error}
          busy={create.isPending}
          onCancel={() => onOpenChange(false)}
        />
      ) : null}
    </Dialog>
  );
}

export function EditGroupDialog({
  group,
  open,
  onOpenChange,
}: DialogProps & {
  group: Group;
}) {
  const save = useApiMutation(
    async (v: { name: string; description: string }) =>
      unwrap(
        await api.PATCH("/api/v1/groups/{id}", { params: { path: { id: group.id } }, body: v }),
      ),
    {
      invalidate: [["groups"], ["group", group.id], ["grants"]],
      onSuccess: () => onOpenChange(false),
    },
  );
  return (
    <Dialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={`Edit the group ${group.name}`}
    >
      {open ? (
        <GroupForm
          initial={{ name: group.name, description: group.description }}
          submitLabel="Save"
          onSubmit={(v) => save.mutate(v)}
          error={save.error}
          busy={save.isPending}
          onCancel={() => onOpenChange(false)}
        />
      ) : null}
    </Dialog>
  );
}
