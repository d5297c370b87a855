// A system user's row actions besides Delete: its SSH keys (the whole list, one a line,
// replaced), a password reset (or its removal: keys only) and its disk quota. Each change is
// applied on the node by a task; the row shows its state.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import { keyLines, QuotaField, quotaValue } from "./system-user-form.tsx";
import type { SysUser } from "./system-users.tsx";

function useUpdate(user: SysUser, done: () => void, said: string) {
  return useApiMutation(
    // quotaMb: a field's text that is not a number goes as it is, for the API to refuse
    async (body: { keys?: string[]; password?: string | null; quotaMb?: number | string }) =>
      unwrap(
        await api.PATCH("/api/v1/system-users/{id}", {
          params: { path: { id: user.id } },
          body: body as never,
        }),
      ),
    {
      invalidate: [["system-users"]],
      onSuccess: () => {
        toast(`${user.name}: ${said}`);
        done();
      },
    },
  );
}

function KeysForm({ user, done }: { user: SysUser; done: () => void }) {
  const [keys, setKeys] = useState(user.keys.map((k) => k.line).join("\n"));
  const save = useUpdate(user, done, "keys are being applied");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ keys: keyLines(keys) });
  };
  return (
    <form onSubmit={submit} className="grid gap-4">
      <Field label="SSH public keys" hint="one a line; no options (command=, from=…)">
        <Textarea
          value={keys}
          onChange={(e) => setKeys(e.target.value)}
          rows={6}
          className="font-mono text-xs"
        />
      </Field>
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <FormActions busy={save.isPending} submitLabel="Save keys" onCancel={done} />
    </form>
  );
}

function PasswordForm({ user, done }: { user: SysUser; done: () => void }) {
  const [password, setPassword] = useState("");
  const save = useUpdate(user, done, "the password is being applied");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ password });
  };
  return (
    <form onSubmit={submit} className="grid gap-4">
      <Field label="New password" hint="at least 10 characters; hashed, never shown again">
        <Input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          required
        />
      </Field>
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <div className="flex justify-between gap-2">
        {user.hasPassword && !user.ftp ? (
          <Button variant="secondary" onClick={() => save.mutate({ password: null })}>
            Remove the password (keys only)
          </Button>
        ) : (
          <span />
        )}
        <FormActions busy={save.isPending} submitLabel="Set password" onCancel={done} />
      </div>
    </form>
  );
}

function QuotaForm({ user, done }: { user: SysUser; done: () => void }) {
  const [quota, setQuota] = useState(user.quotaMb === null ? "" : String(user.quotaMb));
  const save = useUpdate(user, done, "the quota is being applied");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ quotaMb: quotaValue(quota) });
  };
  return (
    <form onSubmit={submit} className="grid gap-4">
      <QuotaField value={quota} onChange={setQuota} />
      {save.error ? <ErrorAlert error={save.error} /> : null}
      <FormActions busy={save.isPending} submitLabel="Set quota" onCancel={done} />
    </form>
  );
}

export function QuotaButton({ user }: { user: SysUser }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={user.status === "deleting"}
      >
        Quota
      </Button>
      <FormDialog open={open} onOpenChange={setOpen} title={`Disk quota of ${user.name}`}>
        {(done) => <QuotaForm user={user} done={done} />}
      </FormDialog>
    </>
  );
}

export function KeysButton({ user }: { user: SysUser }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={user.status === "deleting"}
      >
        Keys
      </Button>
      <FormDialog open={open} onOpenChange={setOpen} title={`SSH keys of ${user.name}`}>
        {(done) => <KeysForm user={user} done={done} />}
      </FormDialog>
    </>
  );
}

export function PasswordButton({ user }: { user: SysUser }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => setOpen(true)}
        disabled={user.status === "deleting"}
      >
        Reset password
      </Button>
      <FormDialog open={open} onOpenChange={setOpen} title={`Password of ${user.name}`}>
        {(done) => <PasswordForm user={user} done={done} />}
      </FormDialog>
    </>
  );
}
