// A new backup destination: a node's directory, S3-compatible storage, SFTP or FTP/FTPS, each
// kind with its own fields. Secrets (S3's secret key, the SFTP password or key, the FTP
// password) are write-only: typed here, sealed by the panel, never shown again. The panel runs
// "test destination" first (write, read back, delete a probe); a failing test is refused with
// the step and the reason, unless "Save even if the test fails" is ticked.
import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { KindFields } from "./backup-destination-fields.tsx";
import {
  type DestinationInput,
  EMPTY,
  settingsOf,
  type Typed,
} from "./backup-destination-settings.ts";
import {
  CheckFailed,
  DESTINATION_KINDS,
  type Destination,
  type DestinationKind,
} from "./backup-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

export type { DestinationInput };

const SHOWN = [
  "name",
  "accountId",
  "settings",
  "settings.kind",
  ...[
    "nodeId",
    "path",
    "endpoint",
    "region",
    "bucket",
    "prefix",
    "accessKeyId",
    "secretAccessKey",
    "host",
    "port",
    "username",
    "password",
    "privateKey",
    "hostKey",
    "tls",
    "ca",
  ].map((f) => `settings.${f}`),
];

/** The dialog: saved destinations go to `onCreated` (the list, or the quick setup's pick). */
export function DestinationDialog({
  open,
  onOpenChange,
  onCreated,
  account,
}: DialogProps & { onCreated: (d: Destination) => void; account?: string }) {
  const save = useApiMutation(
    async (body: DestinationInput) =>
      unwrap(await api.POST("/api/v1/backup-destinations", { body })),
    {
      invalidate: [["backup-destinations"]],
      onSuccess: (d) => {
        onOpenChange(false);
        onCreated(d);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New backup destination"
      description="Steward writes, reads back and deletes a probe object before it saves the destination."
    >
      {(done) => <DestinationForm mutation={save} onCancel={done} account={account} />}
    </FormDialog>
  );
}

export function DestinationForm({
  mutation,
  onCancel,
  account: initialAccount,
}: {
  mutation: FormMutation<DestinationInput>;
  onCancel: () => void;
  account?: string;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const [name, setName] = useState("");
  // a node's directory is written by its agent as itself: for those who manage nodes
  const kinds = DESTINATION_KINDS.filter((k) => k.value !== "local" || me.can.createNode);
  const [kind, setKind] = useState<DestinationKind>(kinds[0]?.value ?? "s3");
  const [account, setAccount] = useState(initialAccount ?? "");
  const [typed, setTyped] = useState<Typed>(EMPTY);
  const [saveAnyway, setSaveAnyway] = useState(false);
  const set = (patch: Partial<Typed>) => setTyped((t) => ({ ...t, ...patch }));
  const err = mutation.error;
  const input: DestinationInput = {
    name: name.trim(),
    accountId: account || null,
    settings: settingsOf(kind, typed),
    saveAnyway,
  };
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={SHOWN}
      submitLabel={saveAnyway ? "Save destination" : "Test and save"}
      onCancel={onCancel}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          field="name"
          value={name}
          onValue={setName}
          placeholder="offsite-s3"
          maxLength={100}
        />
        <Field label="Kind" error={fieldError(err, "settings.kind")}>
          <Select value={kind} onChange={(e) => setKind(e.target.value as DestinationKind)}>
            {kinds.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field
        label="Account"
        hint="The account whose backup plans may write there."
        error={fieldError(err, "accountId")}
      >
        <Select value={account} onChange={(e) => setAccount(e.target.value)}>
          {me.super ? <option value="">Shared (every account's plans; super users)</option> : null}
          {!me.super && !account ? <option value="">Choose an account</option> : null}
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      <KindFields kind={kind} typed={typed} set={set} error={err} />
      <CheckFailed message={fieldError(err, "settings")} what="test" />
      <Checkbox
        label="Save even if the test fails"
        hint="The destination is kept with its failed test; test it again from the list."
        checked={saveAnyway}
        onChange={setSaveAnyway}
      />
    </ApiForm>
  );
}
