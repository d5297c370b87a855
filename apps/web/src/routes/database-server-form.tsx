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
import { Select, Textarea } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { ENGINES, type Engine } from "./databases-parts.tsx";
import { NodeField } from "./site-form-parts.tsx";
import { useAccounts } from "./tasks-parts.tsx";

type ServerInput =
  paths["/api/v1/database-servers"]["post"]["requestBody"]["content"]["application/json"];
export type Tls = "disable" | "require" | "verify-full";

export const TLS_WORDS: Record<Tls, string> = {
  disable: "No TLS",
  require: "TLS, any certificate",
  "verify-full": "TLS, certificate and host name checked",
};

/** The TLS mode of an external server, in words (the create and edit forms). */
export function TlsField({
  value,
  onChange,
  error,
}: {
  value: Tls;
  onChange: (tls: Tls) => void;
  error?: string;
}) {
  return (
    <Field label="TLS" error={error}>
      <Select value={value} onChange={(e) => onChange(e.target.value as Tls)}>
        {(Object.keys(TLS_WORDS) as Tls[]).map((mode) => (
          <option key={mode} value={mode}>
            {TLS_WORDS[mode]}
          </option>
        ))}
      </Select>
    </Field>
  );
}

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
  const [host, setHost] = useState("");
  const [port, setPort] = useState("");
  const [adminUser, setAdminUser] = useState("");
  const [adminPassword, setAdminPassword] = useState("");
  const [tls, setTls] = useState<Tls>("verify-full");
  const [ca, setCa] = useState("");
  const [saveAnyway, setSaveAnyway] = useState(false);
  const err = mutation.error;
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
          host: host.trim(),
          port: Number(port || (engine === "mariadb" ? 3306 : 5432)),
          adminUser: adminUser.trim(),
          adminPassword,
          tls: { mode: tls, ca: tls === "verify-full" && ca.trim() ? ca : null },
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
        <>
          <div className="grid items-start gap-4 sm:grid-cols-[1fr_8rem]">
            <TextField
              label="Host"
              field="host"
              value={host}
              onValue={setHost}
              placeholder="db.example.com"
              maxLength={253}
              code
            />
            <TextField
              label="Port"
              field="port"
              inputMode="numeric"
              value={port}
              onValue={setPort}
              placeholder={engine === "mariadb" ? "3306" : "5432"}
              code
            />
          </div>
          <div className="grid items-start gap-4 sm:grid-cols-2">
            <TextField
              label="Admin user"
              field="adminUser"
              value={adminUser}
              onValue={setAdminUser}
              maxLength={80}
              code
            />
            <TextField
              label="Admin password"
              field="adminPassword"
              type="password"
              autoComplete="new-password"
              value={adminPassword}
              onValue={setAdminPassword}
            />
          </div>
          <TlsField value={tls} onChange={setTls} error={fieldError(err, "tls.mode")} />
          {tls === "verify-full" ? (
            <Field
              label="CA certificate (optional)"
              hint="PEM; left empty, the system's roots check the server's certificate."
              error={fieldError(err, "tls.ca")}
            >
              <Textarea
                className="font-mono text-xs"
                rows={3}
                value={ca}
                onChange={(e) => setCa(e.target.value)}
                spellCheck={false}
              />
            </Field>
          ) : null}
        </>
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
