// Users: list with 2FA status, search, create, disable/enable, reset second factors.
import { getRouteApi } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { type Column, sortKeysOf } from "../components/data-table.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, type Item, type SortOf, unwrap } from "../lib/api.ts";
import { fieldError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import { UserActions } from "./user-actions.tsx";

export type User = Item<"/api/v1/users">;

const route = getRouteApi("/app/users");

export function UserStatus({ user }: { user: User }) {
  return (
    <span className="flex flex-wrap gap-1">
      {user.disabled ? <Badge tone="danger">disabled</Badge> : <Badge tone="ok">active</Badge>}
      {user.super ? <Badge tone="info">super</Badge> : null}
      {user.githubLinked ? <Badge tone="info">GitHub linked</Badge> : null}
    </span>
  );
}

export function TwoFactorStatus({ user }: { user: User }) {
  return (
    <span className="flex flex-wrap gap-1">
      {user.twoFactorEnabled ? <Badge tone="ok">TOTP</Badge> : <Badge tone="warn">no TOTP</Badge>}
      {user.passkeys ? (
        <Badge tone="ok">{`${user.passkeys} passkey${user.passkeys > 1 ? "s" : ""}`}</Badge>
      ) : null}
    </span>
  );
}

const columns: Column<User>[] = [
  {
    header: "User",
    sort: "email",
    cell: (u) => (
      <RecordLink to="/users/$id" id={u.id}>
        <span className="break-all">{u.email}</span>
        {u.name ? <span className="block text-xs font-normal text-fg-muted">{u.name}</span> : null}
      </RecordLink>
    ),
  },
  { header: "Status", cell: (u) => <UserStatus user={u} /> },
  { header: "Second factor", cell: (u) => <TwoFactorStatus user={u} /> },
  {
    header: "Created",
    cell: (u) => formatDateTime(u.createdAt),
    wide: true,
    sort: "createdAt",
  },
  { header: "Actions", cell: (u) => <UserActions user={u} />, className: "text-right" },
];

export function UsersPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/users", search);
  const disabled = search.disabled === "true" || search.disabled === "false" ? search.disabled : "";
  const [creating, setCreating] = useState(false);
  const sort = useUrlSort("/users", search, sortKeysOf(columns));
  const paged = usePaged(["users", search], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/users", {
        params: {
          query: {
            cursor,
            limit,
            q: search.q,
            disabled: disabled || undefined,
            sort: sort.value as SortOf<"/api/v1/users">,
          },
        },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Users"
        description="People who can sign in. Super users may do everything; others get roles through grants."
        actions={<AddButton label="New user" can="manageUsers" onClick={() => setCreating(true)} />}
        filters={{
          ...filters,
          search: { label: "Search users", placeholder: "Search by email or name" },
          controls: (
            <>
              <EnumSelect
                label="Status"
                allLabel="All users"
                options={[
                  { value: "false", label: "Active" },
                  { value: "true", label: "Disabled" },
                ]}
                value={disabled || undefined}
                onChange={(v) => filters.set({ disabled: v })}
              />
            </>
          ),
        }}
        label="Users"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(u) => u.id}
        empty={<EmptyState title="No users yet.">Create one with “New user”.</EmptyState>}
      />
      <CreateUserDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}

function CreateUserDialog({ open, onOpenChange }: DialogProps) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [isSuper, setSuper] = useState(false);
  const create = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/users", {
          body: { email, password, name: name || undefined, super: isSuper },
        }),
      ),
    {
      invalidate: [["users"]],
      onSuccess: () => {
        onOpenChange(false);
        setEmail("");
        setName("");
        setPassword("");
        setSuper(false);
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New user">
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <Field label="Email" error={fieldError(create.error, "email")}>
          <Input
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            autoComplete="off"
          />
        </Field>
        <Field label="Name" hint="Optional." error={fieldError(create.error, "name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </Field>
        <Field
          label="Password"
          hint="At least 10 characters. The user can change it after signing in."
          error={fieldError(create.error, "password")}
        >
          <Input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
          />
        </Field>
        <Checkbox
          label="Super user"
          hint="May do everything, everywhere."
          checked={isSuper}
          onChange={setSuper}
        />
        <ErrorAlert error={create.error} />
        <FormActions
          submitLabel="Create user"
          busy={create.isPending}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}
