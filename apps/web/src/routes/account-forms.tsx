// Creating an account and renaming one.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import type { Account } from "./accounts.tsx";

export function CreateAccountDialog({
  open,
  onOpenChange,
  onCreated,
}: DialogProps & {
  onCreated: (id: string) => void;
}) {
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const create = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/accounts", { body: { slug, name } })),
    {
      invalidate: [["accounts"]],
      onSuccess: (a) => {
        setSlug("");
        setName("");
        onOpenChange(false);
        onCreated(a.id);
      },
    },
  );
  return (
    <Dialog open={open} onOpenChange={resetOnClose(create, onOpenChange)} title="New account">
      <ApiForm
        mutation={create}
        shown={["name", "slug"]}
        submitLabel="Create account"
        onCancel={() => onOpenChange(false)}
      >
        <TextField
          label="Name"
          hint="Shown everywhere; at most 100 characters."
          field="name"
          value={name}
          onValue={setName}
        />
        <TextField
          label="Slug"
          hint="A short machine name: lowercase letters, digits and dashes, starting with a letter. It cannot change later."
          field="slug"
          value={slug}
          onValue={setSlug}
          maxLength={63}
          className="font-mono"
        />
      </ApiForm>
    </Dialog>
  );
}

/** A dialog about one account. */
export type AccountDialogProps = DialogProps & { account: Account };

export function RenameAccountDialog({ account, open, onOpenChange }: AccountDialogProps) {
  return (
    <FormDialog open={open} onOpenChange={onOpenChange} title="Rename the account">
      {(done) => <RenameForm account={account} onDone={done} />}
    </FormDialog>
  );
}

function RenameForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const [name, setName] = useState(account.name);
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/accounts/{id}", {
          params: { path: { id: account.id } },
          body: { name },
        }),
      ),
    { invalidate: [["accounts"], ["account", account.id], ["grants"]], onSuccess: onDone },
  );
  return (
    <ApiForm mutation={save} shown={["name"]} submitLabel="Save" onCancel={onDone}>
      <TextField
        label="Name"
        hint="At most 100 characters."
        field="name"
        value={name}
        onValue={setName}
      />
    </ApiForm>
  );
}
