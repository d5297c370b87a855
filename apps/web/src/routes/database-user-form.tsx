// A new database user in the "shown once" dialog: its server (by name), name, MariaDB host
// patterns, a connection limit, and a grant per database of that server (all, read-only or
// custom privileges). The server generates nothing: Steward does, and the password appears
// here once, after the server has the user and its grants. The grants picker is
// database-user-grants.tsx (also "Grants" on a user's row).
import { useState } from "react";
import { SecretDialog } from "../components/secret-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert } from "../components/ui/alert.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { GrantPicker, type GrantPicks, grantsOf } from "./database-user-grants.tsx";
import { ServerSelect, useServerOptions } from "./databases-parts.tsx";
import { SecretValue } from "./profile-parts.tsx";
import { parseNames } from "./site-form-parts.tsx";

type Created = Schema<"/api/v1/database-users", "post">;

/** The password shown once, with what it is for. */
export function PasswordShown({ name, password }: { name: string; password: string }) {
  return (
    <>
      <Alert tone="warn">
        This is the only time Steward shows this password unasked. Admins of the server can read it
        again (each read is audited).
      </Alert>
      <SecretValue label={`Password of ${name}`} value={password} />
    </>
  );
}

export function UserDialog({ open, onOpenChange, serverId }: DialogProps & { serverId?: string }) {
  const servers = useServerOptions();
  const [server, setServer] = useState(serverId ?? "");
  const [name, setName] = useState("");
  const [hosts, setHosts] = useState("");
  const [limit, setLimit] = useState("");
  const [picks, setPicks] = useState<GrantPicks>({});
  const [created, setCreated] = useState<Created | null>(null);
  const engine = servers.data?.find((s) => s.id === server)?.engine;
  const grants = grantsOf(picks);
  const create = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/database-users", {
          body: {
            serverId: server,
            name: name.trim(),
            ...(engine === "mariadb" && hosts.trim() ? { hosts: parseNames(hosts) } : {}),
            connectionLimit: limit.trim() ? Number(limit) : null,
            grants,
          },
        }),
      ),
    { invalidate: [["database-users"]], onSuccess: (out) => setCreated(out) },
  );
  const change = (o: boolean) => {
    if (!o) {
      setName("");
      setHosts("");
      setLimit("");
      setPicks({});
      setCreated(null);
      create.reset();
    }
    onOpenChange(o);
  };
  return (
    <SecretDialog
      open={open}
      onOpenChange={change}
      title={created ? `User ${created.name} created` : "New database user"}
      description={created ? "Copy the password now." : "Steward generates the password."}
      secret={created ? <PasswordShown name={created.name} password={created.password} /> : null}
      form={{
        mutation: create,
        shown: ["serverId", "name", "hosts", "connectionLimit", "grants"],
        submitLabel: "Create user",
      }}
    >
      <Field label="Server" error={fieldError(create.error, "serverId")}>
        <ServerSelect
          className="w-full"
          allLabel="Choose a server"
          value={server}
          onChange={(v) => {
            setServer(v);
            setPicks({});
          }}
        />
      </Field>
      <TextField
        label="Name"
        field="name"
        hint="Lowercase letters, digits and underscores, starting with a letter."
        value={name}
        onValue={setName}
        maxLength={80}
        code
      />
      {engine === "mariadb" ? (
        <TextField
          label="Hosts it may connect from"
          field="hosts"
          hint="Separated by commas: localhost (the default), an address, 10.0.0.% or % for anywhere."
          value={hosts}
          onValue={setHosts}
          placeholder="localhost"
          code
        />
      ) : null}
      <TextField
        label="Connection limit (optional)"
        field="connectionLimit"
        type="number"
        inputMode="numeric"
        min={1}
        max={10000}
        value={limit}
        onValue={setLimit}
        className="max-w-40"
      />
      {server ? (
        <GrantPicker
          server={server}
          engine={engine}
          picks={picks}
          onPicks={setPicks}
          error={create.error}
        />
      ) : null}
    </SecretDialog>
  );
}
