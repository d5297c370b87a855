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
import { Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import {
  CheckFailed,
  DESTINATION_KINDS,
  type Destination,
  type DestinationKind,
} from "./backup-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

export type DestinationInput =
  paths["/api/v1/backup-destinations"]["post"]["requestBody"]["content"]["application/json"];
type Settings = DestinationInput["settings"];

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

/** The form's fields as typed (every kind's, so switching kind keeps what was typed). */
interface Typed {
  nodeId: string;
  path: string;
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  pathStyle: boolean;
  host: string;
  port: string;
  username: string;
  password: string;
  privateKey: string;
  hostKey: string;
  tls: "none" | "explicit" | "implicit";
  ca: string;
}

const EMPTY: Typed = {
  nodeId: "",
  path: "",
  endpoint: "",
  region: "",
  bucket: "",
  accessKeyId: "",
  secretAccessKey: "",
  pathStyle: true,
  host: "",
  port: "",
  username: "",
  password: "",
  privateKey: "",
  hostKey: "",
  tls: "explicit",
  ca: "",
};

const portOf = (text: string, fallback: number) => (text.trim() ? Number(text) : fallback);

/** The settings the API takes for the chosen kind (left-out optional fields stay out). */
function settingsOf(kind: DestinationKind, t: Typed): Settings {
  switch (kind) {
    case "local":
      return { kind, nodeId: t.nodeId, path: t.path.trim() };
    case "s3":
      return {
        kind,
        endpoint: t.endpoint.trim(),
        ...(t.region.trim() ? { region: t.region.trim() } : {}),
        bucket: t.bucket.trim(),
        prefix: t.path.trim(),
        forcePathStyle: t.pathStyle,
        accessKeyId: t.accessKeyId.trim(),
        secretAccessKey: t.secretAccessKey,
      };
    case "sftp":
      return {
        kind,
        host: t.host.trim(),
        port: portOf(t.port, 22),
        username: t.username.trim(),
        ...(t.password ? { password: t.password } : {}),
        ...(t.privateKey.trim() ? { privateKey: t.privateKey } : {}),
        hostKey: t.hostKey.trim(),
        path: t.path.trim(),
      };
    case "ftp":
      return {
        kind,
        host: t.host.trim(),
        port: portOf(t.port, t.tls === "implicit" ? 990 : 21),
        username: t.username.trim(),
        password: t.password,
        tls: t.tls,
        ...(t.ca.trim() ? { ca: t.ca } : {}),
        path: t.path.trim(),
      };
  }
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
  const [kind, setKind] = useState<DestinationKind>("local");
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
            {DESTINATION_KINDS.map((k) => (
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

function KindFields({
  kind,
  typed: t,
  set,
  error,
}: {
  kind: DestinationKind;
  typed: Typed;
  set: (patch: Partial<Typed>) => void;
  error: unknown;
}) {
  const secretHint = "Write-only: sealed by the panel, never shown again.";
  if (kind === "local")
    return (
      <>
        <NodeField
          value={t.nodeId}
          onChange={(nodeId) => set({ nodeId })}
          error={fieldError(error, "settings.nodeId")}
          hint="The node whose directory holds the artifacts; its agent writes there."
        />
        <TextField
          label="Directory"
          field="settings.path"
          value={t.path}
          onValue={(path) => set({ path })}
          placeholder="/var/backups/steward"
          code
        />
      </>
    );
  if (kind === "s3")
    return (
      <>
        <div className="grid items-start gap-4 sm:grid-cols-[1fr_10rem]">
          <TextField
            label="Endpoint"
            field="settings.endpoint"
            value={t.endpoint}
            onValue={(endpoint) => set({ endpoint })}
            placeholder="https://s3.example.com"
            code
          />
          <TextField
            label="Region"
            field="settings.region"
            value={t.region}
            onValue={(region) => set({ region })}
            placeholder="us-east-1"
            code
          />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField
            label="Bucket"
            field="settings.bucket"
            value={t.bucket}
            onValue={(bucket) => set({ bucket })}
            code
          />
          <TextField
            label="Prefix (optional)"
            field="settings.prefix"
            value={t.path}
            onValue={(path) => set({ path })}
            placeholder="steward/"
            code
          />
        </div>
        <div className="grid items-start gap-4 sm:grid-cols-2">
          <TextField
            label="Access key id"
            field="settings.accessKeyId"
            value={t.accessKeyId}
            onValue={(accessKeyId) => set({ accessKeyId })}
            code
          />
          <TextField
            label="Secret access key"
            field="settings.secretAccessKey"
            type="password"
            autoComplete="new-password"
            hint={secretHint}
            value={t.secretAccessKey}
            onValue={(secretAccessKey) => set({ secretAccessKey })}
          />
        </div>
        <Checkbox
          label="Path-style addresses"
          hint="https://host/bucket rather than https://bucket.host (most S3-compatible servers)."
          checked={t.pathStyle}
          onChange={(pathStyle) => set({ pathStyle })}
        />
      </>
    );
  return (
    <>
      <div className="grid items-start gap-4 sm:grid-cols-[1fr_8rem]">
        <TextField
          label="Host"
          field="settings.host"
          value={t.host}
          onValue={(host) => set({ host })}
          placeholder="backup.example.com"
          code
        />
        <TextField
          label="Port"
          field="settings.port"
          inputMode="numeric"
          value={t.port}
          onValue={(port) => set({ port })}
          placeholder={kind === "sftp" ? "22" : t.tls === "implicit" ? "990" : "21"}
          code
        />
      </div>
      <div className="grid items-start gap-4 sm:grid-cols-2">
        <TextField
          label="User name"
          field="settings.username"
          value={t.username}
          onValue={(username) => set({ username })}
          code
        />
        <TextField
          label={kind === "sftp" ? "Password (or a key below)" : "Password"}
          field="settings.password"
          type="password"
          autoComplete="new-password"
          hint={secretHint}
          value={t.password}
          onValue={(password) => set({ password })}
        />
      </div>
      {kind === "sftp" ? (
        <>
          <Field
            label="Private key (optional)"
            hint={`OpenSSH format, without a passphrase. ${secretHint}`}
            error={fieldError(error, "settings.privateKey")}
          >
            <Textarea
              className="font-mono text-xs"
              rows={3}
              value={t.privateKey}
              onChange={(e) => set({ privateKey: e.target.value })}
              spellCheck={false}
              autoComplete="off"
            />
          </Field>
          <TextField
            label="Host key fingerprint"
            field="settings.hostKey"
            hint="The server's key, pinned: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server."
            value={t.hostKey}
            onValue={(hostKey) => set({ hostKey })}
            placeholder="SHA256:…"
            code
          />
        </>
      ) : (
        <>
          <Field label="TLS" error={fieldError(error, "settings.tls")}>
            <Select value={t.tls} onChange={(e) => set({ tls: e.target.value as Typed["tls"] })}>
              <option value="explicit">FTPS, explicit (AUTH TLS)</option>
              <option value="implicit">FTPS, implicit (TLS from the start)</option>
              <option value="none">Plain FTP (no encryption)</option>
            </Select>
          </Field>
          {t.tls !== "none" ? (
            <Field
              label="CA certificate (optional)"
              hint="PEM; the CA the server's certificate chains to, besides the system's."
              error={fieldError(error, "settings.ca")}
            >
              <Textarea
                className="font-mono text-xs"
                rows={3}
                value={t.ca}
                onChange={(e) => set({ ca: e.target.value })}
                spellCheck={false}
              />
            </Field>
          ) : null}
        </>
      )}
      <TextField
        label="Directory (optional)"
        field="settings.path"
        hint="Relative to the login directory; a leading / makes it absolute on the server."
        value={t.path}
        onValue={(path) => set({ path })}
        code
      />
    </>
  );
}
