// Creating a group and editing one: the same form in two dialogs.
import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import type { Group } from "./groups.tsx";

interface GroupFields {
  name: string;
  description: string;
}

/** The dialog with the group's form, which starts from `initial` at each opening. */
function GroupDialog({
  open,
  onOpenChange,
  title,
  initial,
  submitLabel,
  mutation,
}: DialogProps & {
  title: string;
  initial: GroupFields;
  submitLabel: string;
  mutation: FormMutation<GroupFields> & { reset: () => void };
}) {
  return (
    <FormDialog open={open} onOpenChange={resetOnClose(mutation, onOpenChange)} title={title}>
      {(done) => (
        <GroupForm
          initial={initial}
          submitLabel={submitLabel}
          mutation={mutation}
          onCancel={done}
        />
      )}
    </FormDialog>
  );
}

function GroupForm({
  initial,
  submitLabel,
  mutation,
  onCancel,
}: {
  initial: GroupFields;
  submitLabel: string;
  mutation: FormMutation<GroupFields>;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  return (
    <ApiForm
      mutation={mutation}
      input={{ name: name.trim(), description }}
      shown={["name", "description"]}
      submitLabel={submitLabel}
      onCancel={onCancel}
    >
      <TextField
        label="Name"
        hint="Lowercase letters, digits and dashes, starting with a letter."
        field="name"
        value={name}
        onValue={setName}
        maxLength={63}
      />
      <TextField
        label="Description"
        hint="Optional."
        field="description"
        value={description}
        onValue={setDescription}
        maxLength={500}
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
    async (v: GroupFields) => unwrap(await api.POST("/api/v1/groups", { body: v })),
    {
      invalidate: [["groups"]],
      onSuccess: (g) => {
        onOpenChange(false);
        onCreated(g.id);
      },
    },
  );
  return (
    <GroupDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New group"
      initial={{ name: "", description: "" }}
      submitLabel="Create group"
      mutation={create}
    />
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
    async (v: GroupFields) =>
      unwrap(
        await api.PATCH("/api/v1/groups/{id}", { params: { path: { id: group.id } }, body: v }),
      ),
    {
      invalidate: [["groups"], ["group", group.id], ["grants"]],
      onSuccess: () => onOpenChange(false),
    },
  );
  return (
    <GroupDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Edit the group ${group.name}`}
      initial={{ name: group.name, description: group.description }}
      submitLabel="Save"
      mutation={save}
    />
  );
}
