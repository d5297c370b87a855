// A new database in a dialog: its server (by name), its name, and the engine's options
// (MariaDB: character set and collation; PostgreSQL: encoding, locale and owner). The API's
// errors show at their fields; the database's page opens once the server has it.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { ServerSelect, useServerOptions } from "./databases-parts.tsx";

type DatabaseInput =
  paths["/api/v1/databases"]["post"]["requestBody"]["content"]["application/json"];

export function DatabaseDialog({
  open,
  onOpenChange,
  onCreated,
  serverId,
}: DialogProps & { onCreated: (id: string) => void; serverId?: string }) {
  const save = useApiMutation(
    async (body: DatabaseInput) => unwrap(await api.POST("/api/v1/databases", { body })),
    {
      invalidate: [["databases"], ["database-sizes"]],
      onSuccess: (made) => {
        onOpenChange(false);
        onCreated(made.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New database"
      description="The server creates it at once; its size is measured within the hour."
    >
      {(done) => <DatabaseForm mutation={save} onCancel={done} serverId={serverId} />}
    </FormDialog>
  );
}

function DatabaseForm({
  mutation,
  onCancel,
  serverId,
}: {
  mutation: Parameters<typeof ApiForm<DatabaseInput>>[0]["mutation"];
  onCancel: () => void;
  serverId?: string;
}) {
  const servers = useServerOptions();
  const [server, setServer] = useState(serverId ?? "");
  const [name, setName] = useState("");
  const [charset, setCharset] = useState("");
  const [collation, setCollation] = useState("");
  const [encoding, setEncoding] = useState("");
  const [locale, setLocale] = useState("");
  const [owner, setOwner] = useState("");
  const engine = servers.data?.find((s) => s.id === server)?.engine;
  const opt = (v: string) => v.trim() || undefined;
  const input = {
    serverId: server,
    name: name.trim(),
    ...(engine === "mariadb" ? { charset: opt(charset), collation: opt(collation) } : {}),
    ...(engine === "postgres"
      ? { encoding: opt(encoding), locale: opt(locale), owner: opt(owner) }
      : {}),
  } as DatabaseInput;
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={["serverId", "name", "charset", "collation", "encoding", "locale", "owner"]}
      submitLabel="Create database"
      onCancel={onCancel}
    >
      <Field label="Server" error={fieldError(mutation.error, "serverId")}>
        <ServerSelect
          className="w-full"
          allLabel="Choose a server"
          value={server}
          onChange={setServer}
        />
      </Field>
      <TextField
        label="Name"
        field="name"
        hint="Lowercase letters, digits and underscores, starting with a letter."
        value={name}
        onValue={setName}
        placeholder="shop"
        maxLength={64}
        code
      />
      {engine === "mariadb" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Character set (optional)"
            field="charset"
            value={charset}
            onValue={setCharset}
            placeholder="utf8mb4"
            code
          />
          <TextField
            label="Collation (optional)"
            field="collation"
            value={collation}
            onValue={setCollation}
            placeholder="utf8mb4_unicode_ci"
            code
          />
        </div>
      ) : null}
      {engine === "postgres" ? (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Encoding (optional)"
              field="encoding"
              value={encoding}
              onValue={setEncoding}
              placeholder="UTF8"
              code
            />
            <TextField
              label="Locale (optional)"
              field="locale"
              value={locale}
              onValue={setLocale}
              placeholder="C.UTF-8"
              code
            />
          </div>
          <TextField
            label="Owner (optional)"
            field="owner"
            hint="An existing user of the server that owns the database."
            value={owner}
            onValue={setOwner}
            code
          />
        </>
      ) : null}
    </ApiForm>
  );
}
