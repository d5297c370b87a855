import { useState } from "react";
import { ApiForm, type FormMutation } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { SOURCE_KINDS, type Source, type SourceKind } from "./backup-parts.tsx";
import { DatabasePicker, FilesFields, linesOf } from "./backup-source-fields.tsx";
import { ServerSelect } from "./databases-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

export type SourceInput =
  paths["/api/v1/backup-sources"]["post"]["requestBody"]["content"]["application/json"];

const SHOWN = [
  "name",
  "accountId",
  "source",
  "source.kind",
  ...["nodeId", "path", "excludes", "databaseId", "serverId", "uri", "database"].map(
    (f) => `source.${f}`,
  ),
  ...Array.from({ length: 100 }, (_, i) => `source.excludes.${i}`),
];

export function SourceDialog({
  open,
  onOpenChange,
  onCreated,
  account,
}: DialogProps & { onCreated: (s: Source) => void; account?: string }) {
  const save = useApiMutation(
    async (body: SourceInput) => unwrap(await api.POST("/api/v1/backup-sources", { body })),
    {
      invalidate: [["backup-sources"]],
      onSuccess: (s) => {
        onOpenChange(false);
        onCreated(s);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New backup source"
      description="What a plan backs up. A database's server is asked for its databases before the source is saved."
    >
      {(done) => <SourceForm mutation={save} onCancel={done} account={account} />}
    </FormDialog>
  );
}

export function SourceForm({
  mutation,
  onCancel,
  account: initialAccount,
}: {
  mutation: FormMutation<SourceInput>;
  onCancel: () => void;
  account?: string;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<SourceKind>(me.super ? "files" : "database");
  const [account, setAccount] = useState(initialAccount ?? "");
  const [nodeId, setNodeId] = useState("");
  const [path, setPath] = useState("");
  const [excludes, setExcludes] = useState("");
  const [databaseId, setDatabaseId] = useState("");
  const [serverId, setServerId] = useState("");
  const [uri, setUri] = useState("");
  const [database, setDatabase] = useState("");
  const [saveAnyway, setSaveAnyway] = useState(false);
  const err = mutation.error;
  const source: SourceInput["source"] =
    kind === "files"
      ? { kind, nodeId, path: path.trim(), excludes: linesOf(excludes) }
      : kind === "database"
        ? { kind, databaseId }
        : kind === "server"
          ? { kind, serverId }
          : { kind, nodeId, uri, database: database.trim() || null };
  const input: SourceInput = { name: name.trim(), accountId: account, source, saveAnyway };
  const kinds = SOURCE_KINDS.filter(
    (k) => me.super || (k.value !== "files" && k.value !== "mongodb"),
  );
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={SHOWN}
      submitLabel={saveAnyway || kind === "files" ? "Save source" : "Check and save"}
      onCancel={onCancel}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          field="name"
          value={name}
          onValue={setName}
          placeholder="shop database"
          maxLength={100}
        />
        <Field label="Kind" error={fieldError(err, "source.kind") ?? fieldError(err, "source")}>
          <Select value={kind} onChange={(e) => setKind(e.target.value as SourceKind)}>
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
        hint="Its readers see the source's backups; its admins manage them."
        error={fieldError(err, "accountId")}
      >
        <Select value={account} onChange={(e) => setAccount(e.target.value)}>
          {!account ? <option value="">Choose an account</option> : null}
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      {kind === "files" || kind === "mongodb" ? (
        <NodeField
          value={nodeId}
          onChange={setNodeId}
          error={fieldError(err, "source.nodeId")}
          hint={
            kind === "files"
              ? "The node whose directory is backed up (read by its agent)."
              : "The node whose agent runs mongodump."
          }
        />
      ) : null}
      {kind === "files" ? (
        <FilesFields
          path={path}
          onPath={setPath}
          excludes={excludes}
          onExcludes={setExcludes}
          error={err}
        />
      ) : null}
      {kind === "database" ? (
        <DatabasePicker
          account={account}
          value={databaseId}
          onChange={setDatabaseId}
          error={fieldError(err, "source.databaseId")}
        />
      ) : null}
      {kind === "server" ? (
        <Field
          label="Database server"
          hint="Every database Steward knows on it is backed up, one artifact each (listed at each run)."
          error={fieldError(err, "source.serverId")}
        >
          <ServerSelect
            value={serverId}
            onChange={setServerId}
            allLabel="Choose a server"
            className="w-full"
          />
        </Field>
      ) : null}
      {kind === "mongodb" ? (
        <>
          <TextField
            label="Connection URI"
            field="source.uri"
            type="password"
            autoComplete="new-password"
            hint="mongodb:// or mongodb+srv://; write-only: sealed by the panel, never shown again."
            value={uri}
            onValue={setUri}
          />
          <TextField
            label="Database (optional)"
            field="source.database"
            hint="Left empty, every database the URI reaches."
            value={database}
            onValue={setDatabase}
            code
          />
        </>
      ) : null}
      {kind === "database" || kind === "server" ? (
        <Checkbox
          label="Save even if the check fails"
          hint="The source is kept with its failed check (a server down for now); its runs say what happens."
          checked={saveAnyway}
          onChange={setSaveAnyway}
        />
      ) : null}
    </ApiForm>
  );
}
