// A new database server in a dialog: a node's own MariaDB or PostgreSQL (the node picked by
// name), or an external one (host, port, admin user and password, TLS mode and CA). The panel
// tests the connection first; a failed test is refused with its reasons at the field, and
// "Save even if the test fails" keeps the server anyway. The server's page opens once saved.
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
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
import { ConnectionFields, connectionOf } from "./database-server-connection.tsx";
import { ENGINES, type Engine } from "./databases-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

type ServerInput =
  paths["/api/v1/database-servers"]["post"]["requestBody"]["content"]["application/json"];

export function ServerDialog({
  open,
  onOpenChange,
  onCreated,
}: DialogProps & { onCreated: (id: string) => void }) {
  const save = useApiMutation(
    async (body: ServerInput) => unwrap(await api.POST("/api/v1/database-servers", { body })),
    {
      invalidate: [["database-servers"]],
      onSuccess: (server) => {
        onOpenChange(false);
        onCreated(server.id);
      },
    },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title="New database server"
      description="Steward tests the connection before it saves the server."
    >
      {(done) => <ServerForm mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function ServerForm({
  mutation,
  onCancel,
}: {
  mutation: Parameters<typeof ApiForm<ServerInput>>[0]["mutation"];
  onCancel: () => void;
}) {
  const me = useMe();
  const accounts = useAccounts();
  const [placement, setPlacement] = useState<"on-node" | "external">("external");
  const [name, setName] = useState("");
  const [engine, setEngine] = useState<Engine>("postgres");
  const [account, setAccount] = useState("");
  const [node, setNode] = useState("");
  const [connection, setConnection] = useState(connectionOf());
  const [saveAnyway, setSaveAnyway] = useState(false);
  const err = mutation.error;
  const defaultPort = engine === "mariadb" ? "3306" : "5432";
  const common = {
    name: name.trim(),
    engine,
    accountId: account || null,
    saveAnyway,
  };
  const input: ServerInput =
    placement === "on-node"
      ? { ...common, placement, nodeId: node }
      : {
          ...common,
          placement,
          host: connection.host.trim(),
          port: Number(connection.port || defaultPort),
          adminUser: connection.adminUser.trim(),
          adminPassword: connection.adminPassword,
          tls: {
            mode: connection.tls,
            ca: connection.tls === "verify-full" && connection.ca.trim() ? connection.ca : null,
          },
          viaNodeId: null,
        };
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={[
        "name",
        "engine",
        "accountId",
        "nodeId",
        "host",
        "port",
        "adminUser",
        "adminPassword",
        "tls.mode",
        "tls.ca",
      ]}
      submitLabel={saveAnyway ? "Save server" : "Test and save"}
      onCancel={onCancel}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Name"
          field="name"
          value={name}
          onValue={setName}
          placeholder="main-postgres"
          maxLength={100}
        />
        <Field label="Engine" error={fieldError(err, "engine")}>
          <Select value={engine} onChange={(e) => setEngine(e.target.value as Engine)}>
            {ENGINES.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field
        label="Where it runs"
        hint={
          placement === "on-node"
            ? "The node's own server, managed by its agent through the local admin socket: no password is stored."
            : "A server Steward reaches over TCP with an admin user; the password is sealed at rest."
        }
      >
        <Select
          value={placement}
          onChange={(e) => setPlacement(e.target.value as "on-node" | "external")}
        >
          <option value="external">External server</option>
          <option value="on-node">On a node</option>
        </Select>
      </Field>
      <Field
        label="Account"
        hint="Its admins manage the server and its databases; its readers see them."
        error={fieldError(err, "accountId")}
      >
        <Select value={account} onChange={(e) => setAccount(e.target.value)}>
          {me.super ? <option value="">Shared (no account: super users only)</option> : null}
          {!me.super && !account ? <option value="">Choose an account</option> : null}
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      {placement === "on-node" ? (
        <NodeField
          value={node}
          onChange={setNode}
          error={fieldError(err, "nodeId")}
          hint="The node whose own MariaDB or PostgreSQL this is."
        />
      ) : (
        <ConnectionFields
          value={connection}
          onChange={setConnection}
          words={{
            portPlaceholder: defaultPort,
            passwordLabel: "Admin password",
            caLabel: "CA certificate (optional)",
            caHint: "PEM; left empty, the system's roots check the server's certificate.",
          }}
        />
      )}
      <Checkbox
        label="Save even if the connection test fails"
        hint="The server is kept with its failed test; test it again from its page."
        checked={saveAnyway}
        onChange={setSaveAnyway}
      />
    </ApiForm>
  );
}
