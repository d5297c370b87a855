// Creating an account and renaming one.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <Dialog open={open} onOpenChange={resetOnClose(create, onOpenChange)} title="New account">
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <Field
          label="Name"
          hint="Shown everywhere; at most 100 characters."
          error={fieldError(create.error, "name")}
        >
          <Input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field
          label="Slug"
          hint="A short machine name: lowercase letters, digits and dashes, starting with a letter. It cannot change later."
          error={fieldError(create.error, "slug")}
        >
          <Input
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            maxLength={63}
            autoComplete="off"
            className="font-mono"
          />
        </Field>
        <ErrorAlert error={unshownError(create.error, ["name", "slug"])} />
        <FormActions
          submitLabel="Create account"
          busy={create.isPending}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}

export function RenameAccountDialog({
  account,
  open,
  onOpenChange,
}: DialogProps & {
  account: Account;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Rename the account">
      {open ? <RenameForm account={account} onDone={() => onOpenChange(false)} /> : null}
    </Dialog>
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Field label="Name" hint="At most 100 characters." error={fieldError(save.error, "name")}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </Field>
      <ErrorAlert error={unshownError(save.error, ["name"])} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={onDone} />
    </form>
  );
}
