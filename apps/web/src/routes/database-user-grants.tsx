// Grants per database of a user's server: no grant, all privileges, read-only, or custom (the
// engine's privileges as checkboxes). The same picker serves "New user" and "Grants" on an
// existing user; the latter sends what changed through the API's grant and revoke (a changed
// or new grant is granted, a removed one revoked), and the server has it before the list does.
import { PRIVILEGES } from "@steward/contracts/databases";
import { useQuery } from "@tanstack/react-query";
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { Button } from "../components/ui/button.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { fieldError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { toast } from "../lib/toast.ts";
import type { DbUser, Engine } from "./databases-parts.tsx";

type UserInput =
  paths["/api/v1/database-users"]["post"]["requestBody"]["content"]["application/json"];
type Grant = NonNullable<UserInput["grants"]>[number];
type GrantLevel = Grant["level"];
type Level = "none" | GrantLevel["kind"];
type Privilege = Extract<GrantLevel, { kind: "custom" }>["privileges"][number];
export interface GrantPick {
  level: Level;
  privileges: Privilege[];
}
export type GrantPicks = Record<string, GrantPick>;

/** The databases of a server (the first 200 by name), for the picker. */
export function useServerDatabases(server: string) {
  return useQuery({
    queryKey: ["databases", { server, all: true }],
    enabled: server !== "",
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/databases", {
          params: { query: { server, limit: 200, sort: "name" } },
        }),
      ).items,
  });
}

/** The picks as the API's grants (databases with no grant left out). */
export const grantsOf = (picks: GrantPicks): Grant[] =>
  Object.entries(picks).flatMap(([databaseId, p]) =>
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

/** A user's grants as picks. */
const picksOf = (user: DbUser): GrantPicks =>
  Object.fromEntries(
    user.grants.map((g) => [
      g.databaseId,
      {
        level: g.level.kind,
        privileges: g.level.kind === "custom" ? (g.level.privileges as Privilege[]) : [],
      },
    ]),
  );

export function GrantPicker({
  server,
  engine,
  picks,
  onPicks,
  error,
}: {
  server: string;
  engine: Engine | undefined;
  picks: GrantPicks;
  onPicks: (update: (all: GrantPicks) => GrantPicks) => void;
  error: unknown;
}) {
  const databases = useServerDatabases(server);
  const setPick = (id: string, patch: Partial<GrantPick>) =>
    onPicks((all) => ({ ...all, [id]: { level: "none", privileges: [], ...all[id], ...patch } }));
  const problem = fieldError(error, "grants");
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium">Grants</legend>
      {problem ? <p className="text-xs text-danger">{problem}</p> : null}
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
  );
}

/** "Grants" on a user's row: the picker with its grants, saved as grant and revoke. */
export function GrantsButton({ user }: { user: DbUser }) {
  const [open, setOpen] = useState(false);
  const save = useApiMutation(
    async (picks: GrantPicks) => {
      const path = { params: { path: { id: user.id } } };
      const had = new Map(user.grants.map((g) => [g.databaseId, JSON.stringify(g.level)]));
      const grants = grantsOf(picks);
      const kept = new Set(grants.map((g) => g.databaseId));
      // a new grant, or another level: granted (the server replaces the old level)
      const changed = grants.filter((g) => had.get(g.databaseId) !== JSON.stringify(g.level));
      const revoked = user.grants.map((g) => g.databaseId).filter((id) => !kept.has(id));
      if (changed.length)
        unwrap(
          await api.POST("/api/v1/database-users/{id}/grants", {
            ...path,
            body: { grants: changed },
          }),
        );
      if (revoked.length)
        unwrap(
          await api.POST("/api/v1/database-users/{id}/revoke", {
            ...path,
            body: { databaseIds: revoked },
          }),
        );
    },
    {
      invalidate: [["database-users"]],
      onSuccess: () => {
        setOpen(false);
        toast(`Grants of ${user.name} saved`);
      },
    },
  );
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        <KeyRound className="h-4 w-4" aria-hidden="true" /> Grants
      </Button>
      <FormDialog
        open={open}
        onOpenChange={resetOnClose(save, setOpen)}
        title={`Grants of ${user.name}`}
        description={`Per database of ${user.server}; the server applies each change at once.`}
      >
        {(done) => <GrantsForm user={user} mutation={save} onCancel={done} />}
      </FormDialog>
    </>
  );
}

function GrantsForm({
  user,
  mutation,
  onCancel,
}: {
  user: DbUser;
  mutation: Parameters<typeof ApiForm<GrantPicks>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [picks, setPicks] = useState<GrantPicks>(() => picksOf(user));
  return (
    <ApiForm
      mutation={mutation}
      input={picks}
      shown={["grants"]}
      submitLabel="Save grants"
      onCancel={onCancel}
    >
      <GrantPicker
        server={user.serverId}
        engine={user.engine}
        picks={picks}
        onPicks={setPicks}
        error={mutation.error}
      />
    </ApiForm>
  );
}
