// A mailbox in its domain's list (docs/mail.md): its address, mode and state, a usage bar
// (bytes of its quota at the last sampling), and for admins "Usage" (the hourly history),
// "Autoresponder" (mail-autoresponder.tsx), "Edit" (quota, mode, enabled, a new password) and
// "Delete" asking first with its address. An alias's row has its "Delete" likewise.
import { useState } from "react";
import {
  ActionsWithError,
  ConfirmButton,
  EditDeleteActions,
} from "../components/confirm-button.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { AutoresponderDialog } from "./mail-autoresponder.tsx";
import { type MailAlias, type Mailbox, UsageBar, UsageDialog } from "./mail-usage.tsx";

const MODES = [
  { value: "both", label: "Sends and receives" },
  { value: "send-only", label: "Send only (gets no mail)" },
  { value: "receive-only", label: "Receive only (cannot send)" },
] as const;
type Mode = (typeof MODES)[number]["value"];

export function MailboxRow({ box, canEdit }: { box: Mailbox; canEdit: boolean }) {
  const [open, setOpen] = useState<"edit" | "auto" | "usage" | null>(null);
  const invalidate = [
    ["mailboxes", box.domainId],
    ["mail-domain", box.domainId],
  ];
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/mail/mailboxes/{id}", { params: { path: { id: box.id } } })),
    { invalidate },
  );
  const close = (o: boolean) => setOpen(o ? open : null);
  return (
    <li className="grid gap-2 border-b border-border pb-2 last:border-0">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-mono text-sm break-all">{box.address}</span>
        <span className="flex flex-wrap items-center gap-2 text-sm text-fg-muted">
          {box.quotaMb ? `quota ${box.quotaMb} MiB` : "no quota"}
          {box.mode === "both" ? null : <Badge tone="info">{box.mode}</Badge>}
          {box.autoresponder ? <Badge tone="ok">autoresponder</Badge> : null}
          {box.enabled ? null : <Badge tone="neutral">disabled</Badge>}
        </span>
      </div>
      <UsageBar box={box} />
      {canEdit ? (
        <EditDeleteActions
          noun="mailbox"
          name={box.address}
          consequence="Mail to it is refused and it can no longer log in once applied; its Maildir stays on the node."
          remove={remove}
          onEdit={() => setOpen("edit")}
        >
          <Button size="sm" variant="secondary" onClick={() => setOpen("usage")}>
            Usage
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setOpen("auto")}>
            Autoresponder
          </Button>
        </EditDeleteActions>
      ) : (
        <div className="flex justify-end">
          <Button size="sm" variant="secondary" onClick={() => setOpen("usage")}>
            Usage
          </Button>
        </div>
      )}
      <FormDialog open={open === "edit"} onOpenChange={close} title={`Edit ${box.address}`}>
        {(done) => <EditMailbox box={box} done={done} />}
      </FormDialog>
      <FormDialog
        open={open === "auto"}
        onOpenChange={close}
        title={`Autoresponder of ${box.address}`}
      >
        {(done) => <AutoresponderDialog box={box} done={done} />}
      </FormDialog>
      <FormDialog open={open === "usage"} onOpenChange={close} title={`Usage of ${box.address}`}>
        {() => <UsageDialog box={box} />}
      </FormDialog>
    </li>
  );
}

function EditMailbox({ box, done }: { box: Mailbox; done: () => void }) {
  const [quota, setQuota] = useState(String(box.quotaMb));
  const [mode, setMode] = useState<Mode>(box.mode);
  const [enabled, setEnabled] = useState(box.enabled);
  const [password, setPassword] = useState("");
  const save = useApiMutation(
    async () => {
      const path = { params: { path: { id: box.id } } };
      const changed = await api.PATCH("/api/v1/mail/mailboxes/{id}", {
        ...path,
        body: { quotaMb: quota.trim() === "" ? 0 : Number(quota), mode, enabled },
      });
      unwrap(changed);
      if (password)
        unwrap(
          await api.POST("/api/v1/mail/mailboxes/{id}/password", { ...path, body: { password } }),
        );
    },
    {
      invalidate: [
        ["mailboxes", box.domainId],
        ["mail-domain", box.domainId],
      ],
      onSuccess: done,
    },
  );
  return (
    <form
      className="grid gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(undefined);
      }}
    >
      <TextField
        label="Quota (MiB)"
        value={quota}
        onValue={setQuota}
        inputMode="numeric"
        hint="0: no quota."
        error={fieldError(save.error, "quotaMb")}
      />
      <Field label="Mode" error={fieldError(save.error, "mode")}>
        <Select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </Select>
      </Field>
      <Checkbox
        label="Enabled"
        hint="A disabled mailbox is refused at delivery and at login."
        checked={enabled}
        onChange={setEnabled}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={password}
        onValue={setPassword}
        hint="Leave empty to keep the current one; at least 10 characters."
        error={fieldError(save.error, "password")}
      />
      <ErrorAlert error={unshownError(save.error, ["quotaMb", "mode", "password"])} />
      <FormActions submitLabel="Save" busy={save.isPending} onCancel={done} />
    </form>
  );
}

export function AliasRow({ alias, canEdit }: { alias: MailAlias; canEdit: boolean }) {
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/mail/aliases/{id}", { params: { path: { id: alias.id } } })),
    {
      invalidate: [
        ["mail-aliases", alias.domainId],
        ["mail-domain", alias.domainId],
      ],
    },
  );
  const name = alias.catchAll ? `${alias.source} (catch-all)` : alias.source;
  return (
    <li className="flex flex-wrap items-start justify-between gap-2">
      <span className="grid gap-0.5">
        <span className="font-mono text-sm break-all">{name}</span>
        <span className="text-xs text-fg-muted break-all">→ {alias.destinations.join(", ")}</span>
      </span>
      {canEdit ? <ConfirmDelete name={alias.source} remove={remove} /> : null}
    </li>
  );
}

function ConfirmDelete({
  name,
  remove,
}: {
  name: string;
  remove: { isPending: boolean; mutate: (input: undefined) => void; error: unknown };
}) {
  return (
    <ActionsWithError error={remove.error}>
      <ConfirmButton
        size="sm"
        variant="danger"
        mutation={remove}
        confirm={{
          title: `Delete the alias ${name}?`,
          description: "Mail to it is refused once applied (unless a catch-all takes it).",
          confirmLabel: "Delete alias",
        }}
      >
        Delete
      </ConfirmButton>
    </ActionsWithError>
  );
}
