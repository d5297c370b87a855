// Changing a database server in a dialog: its name, and an external server's connection (host,
// port, admin user, a new password, TLS mode and CA). Only what was changed is sent; a new
// connection is tested first and a failed test is refused with its reasons at the field unless
// "Save even if the test fails". Removing a server asks for its name typed again; Steward
// refuses it, in words, while it manages databases or users there.
import { Pencil, PlugZap, Trash2 } from "lucide-react";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Button } from "../components/ui/button.tsx";
import { Checkbox } from "../components/ui/field.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { useDeleted } from "./access-parts.tsx";
import { ConnectionFields, connectionOf } from "./database-server-connection.tsx";
import type { DbServer } from "./databases-parts.tsx";

type ServerChange =
  paths["/api/v1/database-servers/{id}"]["patch"]["requestBody"]["content"]["application/json"];

/** "Test again", "Edit" and "Delete" on a server's page (its account's admins). */
export function ServerActions({ server }: { server: DbServer }) {
  const [editing, setEditing] = useState(false);
  const test = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/database-servers/{id}/test", {
          params: { path: { id: server.id } },
        }),
      ),
    { invalidate: [["database-servers"]] },
  );
  const deleted = useDeleted();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/database-servers/{id}", {
          params: { path: { id: server.id }, query: { confirm: server.name } },
        }),
      ),
    {
      invalidate: [["database-servers"]],
      onSuccess: () => deleted(`Database server ${server.name} removed`, "/database-servers"),
    },
  );
  return (
    <ActionsWithError error={test.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate(undefined)}>
          <PlugZap className="h-4 w-4" aria-hidden="true" /> Test again
        </Button>
        <Button variant="secondary" onClick={() => setEditing(true)}>
          <Pencil className="h-4 w-4" aria-hidden="true" /> Edit
        </Button>
        <ConfirmButton
          variant="danger"
          mutation={remove}
          confirm={{
            title: "Remove this server from Steward?",
            description: (
              <span className="wrap-anywhere">
                Steward forgets <strong>{server.name}</strong> and its admin password; nothing on
                the server is touched. Delete its databases and users in Steward first.
              </span>
            ),
            confirmLabel: "Remove server",
            typeToConfirm: server.name,
          }}
        >
          <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
        </ConfirmButton>
      </div>
      <ServerEditDialog server={server} open={editing} onOpenChange={setEditing} />
    </ActionsWithError>
  );
}

function ServerEditDialog({
  server,
  open,
  onOpenChange,
}: {
  server: DbServer;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const save = useApiMutation(
    async (body: ServerChange) =>
      unwrap(
        await api.PATCH("/api/v1/database-servers/{id}", {
          params: { path: { id: server.id } },
          body,
        }),
      ),
    { invalidate: [["database-servers"]], onSuccess: () => onOpenChange(false) },
  );
  return (
    <FormDialog
      open={open}
      onOpenChange={resetOnClose(save, onOpenChange)}
      title={`Edit ${server.name}`}
      description={
        server.placement === "external"
          ? "A changed connection is tested before it is saved."
          : "A node's own server is reached through its agent: only its name changes here."
      }
    >
      {(done) => <EditForm server={server} mutation={save} onCancel={done} />}
    </FormDialog>
  );
}

function EditForm({
  server,
  mutation,
  onCancel,
}: {
  server: DbServer;
  mutation: Parameters<typeof ApiForm<ServerChange>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [name, setName] = useState(server.name);
  const [c, setConnection] = useState(connectionOf(server));
  const [saveAnyway, setSaveAnyway] = useState(false);
  const external = server.placement === "external";
  const tlsChanged = c.tls !== server.tls.mode || c.ca.trim() !== "";
  const input: ServerChange = {
    ...(name.trim() !== server.name ? { name: name.trim() } : {}),
    ...(external && c.host.trim() !== server.host ? { host: c.host.trim() } : {}),
    ...(external && c.port !== String(server.port) ? { port: Number(c.port) } : {}),
    ...(external && c.adminUser.trim() !== server.adminUser
      ? { adminUser: c.adminUser.trim() }
      : {}),
    ...(external && c.adminPassword ? { adminPassword: c.adminPassword } : {}),
    ...(external && tlsChanged
      ? {
          tls: {
            mode: c.tls,
            ...(c.ca.trim() ? { ca: c.ca } : c.tls === "disable" ? { ca: null } : {}),
          },
        }
      : {}),
    saveAnyway,
  };
  const connection = Object.keys(input).some((k) => k !== "name" && k !== "saveAnyway");
  return (
    <ApiForm
      mutation={mutation}
      input={input}
      shown={["name", "host", "port", "adminUser", "adminPassword", "tls.mode", "tls.ca"]}
      submitLabel={connection && !saveAnyway ? "Test and save" : "Save"}
      onCancel={onCancel}
    >
      <TextField label="Name" field="name" value={name} onValue={setName} maxLength={100} />
      {external ? (
        <>
          <ConnectionFields
            value={c}
            onChange={setConnection}
            words={{
              passwordLabel: "New admin password",
              passwordHint: "Left empty, the sealed one is kept.",
              caLabel: "New CA certificate (optional)",
              caHint: server.tls.ca
                ? "PEM; left empty, the CA it has is kept."
                : "PEM; left empty, the system's roots check the server's certificate.",
            }}
          />
          <Checkbox
            label="Save even if the connection test fails"
            hint="The change is kept with its failed test."
            checked={saveAnyway}
            onChange={setSaveAnyway}
          />
        </>
      ) : null}
    </ApiForm>
  );
}
