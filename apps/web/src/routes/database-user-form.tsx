// A new database user in the "shown once" dialog: its server (by name), name, MariaDB host
// patterns, a connection limit, and a grant per database of that server (all, read-only or
// custom privileges). The server generates nothing: Steward does, and the password appears
// here once, after the server has the user and its grants.
import { PRIVILEGES } from "@steward/contracts/databases";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SecretDialog } from "../components/secret-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { Alert } from "../components/ui/alert.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Schema, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { ServerSelect, useServerOptions } from "./databases-parts.tsx";
import { SecretValue } from "./profile-parts.tsx";
import { parseNames } from "./site-form-parts.tsx";

type Created = Schema<"/api/v1/database-users", "post">;
type UserInput =
  paths["/api/v1/database-users"]["post"]["requestBody"]["content"]["application/json"];
type GrantLevel = NonNullable<UserInput["grants"]>[number]["level"];
type Level = "none" | GrantLevel["kind"];
type Privilege = Extract<GrantLevel, { kind: "custom" }>["privileges"][number];
interface Pick {
  level: Level;
  privileges: Privilege[];
}

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
  const [picks, setPicks] = useState<Record<string, Pick>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const engine = servers.data?.find((s) => s.id === server)?.engine;
  const databases = useQuery({
    queryKey: ["databases", { server, all: true }],
    enabled: server !== "",
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/databases", {
          params: { query: { server, limit: 200, sort: "name" } },
        }),
      ).items,
  });
  const grants = Object.entries(picks).flatMap(([databaseId, p]) =>
    p.level === "none"
      ? []
      : [
          {
            databaseId,
            level:
              p.level === "custom"
                ? { kind: "custom" as const, privileges: p.privileges }
                : { kind: p.level },
          },
        ],
  );
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
  const setPick = (id: string, patch: Partial<Pick>) =>
    setPicks((all) => ({
      ...all,
      [id]: { level: "none", privileges: [], ...all[id], ...patch },
    }));
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
        <fieldset className="grid gap-2">
          <legend className="mb-1 text-sm font-medium">Grants</legend>
          {fieldError(create.error, "grants") ? (
            <p className="text-xs text-danger">{fieldError(create.error, "grants")}</p>
          ) : null}
          {(databases.data ?? []).length === 0 ? (
            <p className="text-sm text-fg-muted">
              {databases.isPending ? "Loading databases…" : "No databases on this server yet."}
            </p>
          ) : null}
          {(databases.data ?? []).map((d) => {
            const pick = picks[d.id] ?? { level: "none", privileges: [] };
            return (
              <div key={d.id} className="grid gap-1">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-mono text-sm break-all">{d.name}</span>
                  <Select
                    aria-label={`Grant on ${d.name}`}
                    className="w-40"
                    value={pick.level}
                    onChange={(e) => setPick(d.id, { level: e.target.value as Level })}
                  >
                    <option value="none">No grant</option>
                    <option value="all">All privileges</option>
                    <option value="read-only">Read-only</option>
                    <option value="custom">Custom…</option>
                  </Select>
                </div>
                {pick.level === "custom" && engine ? (
                  <div className="flex flex-wrap gap-x-3 gap-y-1">
                    {(PRIVILEGES[engine] as readonly Privilege[]).map((p) => (
                      <label key={p} className="flex items-center gap-1 text-xs">
                        <input
                          type="checkbox"
                          className="accent-primary"
                          checked={pick.privileges.includes(p)}
                          onChange={(e) =>
                            setPick(d.id, {
                              privileges: e.target.checked
                                ? [...pick.privileges, p]
                                : pick.privileges.filter((x) => x !== p),
                            })
                          }
                        />
                        {p}
                      </label>
                    ))}
                  </div>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      ) : null}
    </SecretDialog>
  );
}
