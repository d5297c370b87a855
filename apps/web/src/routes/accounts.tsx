// Accounts (tenants): list with search, create, rename and delete (typing the name to confirm).
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { type Column, sortKeysOf } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, type Item, type SortOf, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import { CreateAccountDialog, RenameAccountDialog } from "./account-forms.tsx";

export type Account = Item<"/api/v1/accounts">;

const route = getRouteApi("/app/accounts");

/** Rename, and for super users delete (typing the account's name). */
export function AccountActions({
  account,
  afterDelete,
}: {
  account: Account;
  afterDelete?: () => void;
}) {
  const me = useMe();
  const [renaming, setRenaming] = useState(false);
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/accounts/{id}", { params: { path: { id: account.id } } })),
    { invalidate: [["accounts"], ["grants"]], onSuccess: afterDelete },
  );
  return (
    <ActionsWithError error={remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Button size="sm" variant="secondary" onClick={() => setRenaming(true)}>
          Rename
        </Button>
        {me.can.createAccount ? (
          <ConfirmButton
            size="sm"
            variant="danger"
            mutation={remove}
            confirm={{
              title: "Delete this account?",
              description: (
                <span className="wrap-anywhere">
                  The account <strong>{account.name}</strong> and every grant on it are removed.
                  This cannot be undone. An account that still owns anything (sites, apps, zones,
                  databases, mail, backups, monitors, tasks to run…) is not deleted: the answer says
                  how many of each to delete first.
                </span>
              ),
              confirmLabel: "Delete account",
              typeToConfirm: account.name,
            }}
          >
            Delete
          </ConfirmButton>
        ) : null}
      </div>
      <RenameAccountDialog account={account} open={renaming} onOpenChange={setRenaming} />
    </ActionsWithError>
  );
}

export function AccountsPage() {
  const me = useMe();
  const navigate = useNavigate();
  const search = route.useSearch();
  const filters = useUrlFilters("/accounts", search);
  const [creating, setCreating] = useState(false);
  const columns: Column<Account>[] = [
    {
      header: "Account",
      sort: "name",
      cell: (a) => (
        <div className="min-w-0">
          <RecordLink to="/accounts/$id" id={a.id} className="wrap-anywhere">
            {a.name}
          </RecordLink>
          <p className="font-mono text-xs break-all text-fg-muted">{a.slug}</p>
        </div>
      ),
    },
    {
      header: "Created",
      cell: (a) => formatDateTime(a.createdAt),
      wide: true,
      sort: "createdAt",
    },
    { header: "Actions", cell: (a) => <AccountActions account={a} />, className: "text-right" },
  ];
  const sort = useUrlSort("/accounts", search, sortKeysOf(columns));
  const paged = usePaged(["accounts", search], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/accounts", {
        params: {
          query: { cursor, limit, q: search.q, sort: sort.value as SortOf<"/api/v1/accounts"> },
        },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Accounts"
        description="Tenants: every hosted resource belongs to one account. Members hold a role on it."
        actions={
          <AddButton label="New account" can="createAccount" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          search: { label: "Search accounts", placeholder: "Search by name or slug" },
        }}
        label="Accounts"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(a) => a.id}
        empty={
          <EmptyState title="No accounts yet.">
            {me.can.createAccount
              ? "Create one with “New account”."
              : "You are not a member of any account yet. Ask an administrator for access."}
          </EmptyState>
        }
      />
      <CreateAccountDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/accounts/$id", params: { id } })}
      />
    </>
  );
}
