// Database users (one ListPage): each user of the servers one sees, with its server, hosts and
// grants in words; filters by server, account and engine in the URL. "New user" shows the generated
// password once; each row offers "Rotate" (asks first, shows the new password once), "Show
// password" (the server's admins; asks first, since each read is audited) and "Delete" (after
// typing its name).
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Note } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatRelative } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { PasswordShown, UserDialog } from "./database-user-form.tsx";
import { GrantsButton } from "./database-user-grants.tsx";
import { DbLink, type DbUser, ItemFilterControls, itemQuery } from "./databases-parts.tsx";
import { useAccountName } from "./tasks-parts.tsx";

const route = getRouteApi("/app/database-users");

/** A grant in words: "all", "read-only", "SELECT, INSERT". */
export function grantText(level: DbUser["grants"][number]["level"]): string {
  if (level.kind === "custom") return level.privileges.join(", ");
  return level.kind === "all" ? "all privileges" : "read-only";
}

function columns(
  accountName: (id: string | null) => string,
  canManage: boolean,
  shown: (name: string, password: string) => void,
): Column<DbUser>[] {
  const list: Column<DbUser>[] = [
    {
      header: "User",
      cell: (u) => (
        <span className="grid gap-0.5">
          <span className="font-mono font-medium break-all">{u.name}</span>
          <Note>
            {u.accountId === null ? "shared" : accountName(u.accountId)}
            {u.hosts.length ? ` · from ${u.hosts.join(", ")}` : ""}
          </Note>
        </span>
      ),
    },
    {
      header: "Server",
      wide: true,
      cell: (u) => (
        <DbLink to="/database-servers/$id" id={u.serverId} className="font-normal">
          {u.server}
        </DbLink>
      ),
    },
    {
      header: "Grants",
      cell: (u) =>
        u.grants.length === 0 ? (
          <Note>none</Note>
        ) : (
          <ul className="grid gap-0.5 text-sm">
            {u.grants.map((g) => (
              <li key={g.databaseId}>
                <DbLink to="/databases/$id" id={g.databaseId} className="font-mono font-normal">
                  {g.database}
                </DbLink>{" "}
                <span className="text-fg-muted">{grantText(g.level)}</span>
              </li>
            ))}
          </ul>
        ),
    },
    {
      header: "Password",
      wide: true,
      cell: (u) => (
        <Note>
          {!u.hasPassword
            ? "unknown (adopted): rotate to set one"
            : u.rotatedAt
              ? `rotated ${formatRelative(u.rotatedAt)}`
              : "as generated"}
        </Note>
      ),
    },
  ];
  if (canManage)
    list.push({
      header: "Actions",
      className: "text-right",
      cell: (u) => <UserActions user={u} shown={shown} />,
    });
  return list;
}

function UserActions({
  user,
  shown,
}: {
  user: DbUser;
  shown: (name: string, password: string) => void;
}) {
  const path = { params: { path: { id: user.id } } };
  const invalidate = [["database-users"]];
  const rotate = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/database-users/{id}/rotate", path)),
    { invalidate, onSuccess: (out) => shown(out.name, out.password) },
  );
  const reveal = useApiMutation(
    async () => unwrap(await api.GET("/api/v1/database-users/{id}/password", path)),
    { onSuccess: (out) => shown(user.name, out.password) },
  );
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/database-users/{id}", {
          params: { path: { id: user.id }, query: { confirm: user.name } },
        }),
      ),
    { invalidate, onSuccess: () => toast(`User ${user.name} deleted`) },
  );
  return (
    <ActionsWithError error={rotate.error ?? reveal.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <GrantsButton user={user} />
        <ConfirmButton
          size="sm"
          variant="secondary"
          mutation={rotate}
          confirm={{
            title: `Rotate the password of ${user.name}?`,
            description:
              "The server gets a new generated password at once; whatever uses the old one stops connecting.",
            confirmLabel: "Rotate password",
          }}
        >
          Rotate
        </ConfirmButton>
        {user.hasPassword ? (
          <ConfirmButton
            size="sm"
            variant="secondary"
            mutation={reveal}
            confirm={{
              title: `Show the password of ${user.name}?`,
              description: "Reading it is recorded in the audit log under your name.",
              confirmLabel: "Show password",
              destructive: false,
            }}
          >
            Show password
          </ConfirmButton>
        ) : null}
        <ConfirmButton
          size="sm"
          variant="danger"
          mutation={remove}
          confirm={{
            title: `Delete the user ${user.name}?`,
            description: "The server drops the user and its grants; its connections stop working.",
            confirmLabel: "Delete user",
            typeToConfirm: user.name,
          }}
        >
          Delete
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}

export function DatabaseUsersPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/database-users", search);
  const accountName = useAccountName();
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const [password, setPassword] = useState<{ name: string; password: string } | null>(null);
  const query = itemQuery(search);
  const paged = usePaged(["database-users", query], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/database-users", {
        params: { query: { ...query, sort: "name", cursor, limit } },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Database users"
        description="Users of Steward's MariaDB and PostgreSQL servers and their grants. Passwords are generated, sealed at rest and shown once."
        actions={
          <AddButton label="New user" can="manageDatabases" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          controls: <ItemFilterControls search={search} set={filters.set} />,
        }}
        label="Database users"
        columns={columns(accountName, me.can.manageDatabases, (name, pw) =>
          setPassword({ name, password: pw }),
        )}
        paged={paged}
        rowKey={(u) => u.id}
        empty={
          <EmptyState title="No database users yet.">
            Create one with “New user” and grant it databases of its server.
          </EmptyState>
        }
      />
      <UserDialog open={creating} onOpenChange={setCreating} serverId={search.server} />
      <Dialog
        open={password !== null}
        onOpenChange={(o) => !o && setPassword(null)}
        title={`Password of ${password?.name ?? ""}`}
      >
        {password ? (
          <div className="grid gap-4">
            <PasswordShown name={password.name} password={password.password} />
            <div className="flex justify-end">
              <Button onClick={() => setPassword(null)}>Done</Button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </>
  );
}
