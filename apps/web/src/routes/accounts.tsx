// Accounts (tenants): list with search, create, rename and delete (typing the name to confirm).
import { Link, useNavigate } from "@tanstack/react-router";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useMe } from "../lib/session.ts";

export type Account = Item<"/api/v1/accounts">;

/** Rename, and for super users delete (typing the account's name). */
export function AccountActions({
  account,
  afterDelete,
}: {
  account: Account;
  afterDelete?: () => void;
}) {
  const me = useMe();
  const confirm = useConfirm();
  const [renaming, setRenaming] = useState(false);
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/accounts/{id}", { params: { path: { id: account.id } } })),
    { invalidate: [["accounts"], ["grants"]], onSuccess: afterDelete },
  );
  return (
    <div className="grid justify-items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        <Button size="sm" variant="secondary" onClick={() => setRenaming(true)}>
          Rename
        </Button>
        {me.super ? (
          <Button
            size="sm"
            variant="danger"
            busy={remove.isPending}
            onClick={async () => {
              const ok = await confirm({
                title: "Delete this account?",
                description: (
                  <span className="wrap-anywhere">
                    The account <strong>{account.name}</strong> and every grant on it are removed.
                    This cannot be undone.
                  </span>
                ),
                confirmLabel: "Delete account",
                typeToConfirm: account.name,
              });
              if (ok) remove.mutate(undefined);
            }}
          >
            Delete
          </Button>
        ) : null}
      </div>
      <ErrorAlert error={remove.error} />
      <RenameAccountDialog account={account} open={renaming} onOpenChange={setRenaming} />
    </div>
  );
}

export function AccountsPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [creating, setCreating] = useState(false);
  const paged = usePaged(["accounts", { q }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/accounts", {
        params: { query: { cursor, limit, q: q.trim() || undefined } },
      }),
    ),
  );
  const columns: Column<Account>[] = [
    {
      header: "Account",
      cell: (a) => (
        <div className="min-w-0">
          <Link
            to="/accounts/$id"
            params={{ id: a.id }}
            className="font-medium wrap-anywhere text-primary hover:underline"
          >
            {a.name}
          </Link>
          <p className="font-mono text-xs break-all text-fg-muted">{a.slug}</p>
        </div>
      ),
    },
    { header: "Created", cell: (a) => formatDateTime(a.createdAt), wide: true },
    { header: "Actions", cell: (a) => <AccountActions account={a} />, className: "text-right" },
  ];
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Tenants: every hosted resource belongs to one account. Members hold a role on it."
        actions={
          me.super ? (
            <Button onClick={() => setCreating(true)}>
              <Plus className="h-4 w-4" aria-hidden="true" /> New account
            </Button>
          ) : undefined
        }
      />
      <div className="mb-4 flex flex-wrap gap-3">
        <Input
          type="search"
          aria-label="Search accounts"
          placeholder="Search by name or slug"
          className="max-w-xs"
          value={q}
          maxLength={100}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <DataTable
        label="Accounts"
        columns={columns}
        paged={paged}
        rowKey={(a) => a.id}
        empty={
          <EmptyState title={q ? "No account matches this search." : "No accounts yet."}>
            {q
              ? "Change the search."
              : me.super
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

function CreateAccountDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onCreated: (id: string) => void;
}) {
  const [slug, setSlug] = useState("");
  const [name, setName] = useState("");
  const create = useApiMutation(
    async () => unwrap(await api.POST("/api/v1/accounts", { body: { slug, name } })),
    {
      invalidate: [["accounts"]],
      onSuccess: (a) => {
        setSlug("");
        setName("");
        onOpenChange(false);
        onCreated(a.id);
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) create.reset();
        onOpenChange(o);
      }}
      title="New account"
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <Field
          label="Name"
          hint="Shown everywhere; at most 100 characters."
          error={fieldError(create.error, "name")}
        >
          <Input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field
          label="Slug"
          hint="A short machine name: lowercase letters, digits and dashes, starting with a letter. It cannot change later."
          error={fieldError(create.error, "slug")}
        >
          <Input
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            maxLength={63}
            autoComplete="off"
            className="font-mono"
          />
        </Field>
        <ErrorAlert error={unshownError(create.error, ["name", "slug"])} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={create.isPending}>
            Create account
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameAccountDialog({
  account,
  open,
  onOpenChange,
}: {
  account: Account;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Rename the account">
      {open ? <RenameForm account={account} onDone={() => onOpenChange(false)} /> : null}
    </Dialog>
  );
}

function RenameForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const [name, setName] = useState(account.name);
  const save = useApiMutation(
    async () =>
      unwrap(
        await api.PATCH("/api/v1/accounts/{id}", {
          params: { path: { id: account.id } },
          body: { name },
        }),
      ),
    { invalidate: [["accounts"], ["account", account.id], ["grants"]], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(undefined);
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Field label="Name" hint="At most 100 characters." error={fieldError(save.error, "name")}>
        <Input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </Field>
      <ErrorAlert error={unshownError(save.error, ["name"])} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" busy={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}
