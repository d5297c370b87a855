// Groups: list with search, create, edit and delete; the built-in super group is immutable.
import { Link, useNavigate } from "@tanstack/react-router";
import { Lock, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
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

export type Group = Item<"/api/v1/groups">;

export function ImmutableBadge() {
  return (
    <span className="inline-flex items-start gap-1 text-left text-xs text-fg-muted">
      <Lock className="mt-px h-3.5 w-3.5 shrink-0" aria-hidden="true" /> built in, cannot be changed
    </span>
  );
}

/** Edit and delete, or a note that the group is built in. */
export function GroupActions({ group, afterDelete }: { group: Group; afterDelete?: () => void }) {
  const confirm = useConfirm();
  const [editing, setEditing] = useState(false);
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/groups/{id}", { params: { path: { id: group.id } } })),
    { invalidate: [["groups"], ["grants"]], onSuccess: afterDelete },
  );
  if (group.builtin) return <ImmutableBadge />;
  return (
    <div className="grid justify-items-end gap-1">
      <div className="flex flex-wrap justify-end gap-2">
        <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
          Edit
        </Button>
        <Button
          size="sm"
          variant="danger"
          busy={remove.isPending}
          onClick={async () => {
            const ok = await confirm({
              title: `Delete the group ${group.name}?`,
              description: `Its ${group.members} member${group.members === 1 ? "" : "s"} lose the roles the group gave them, and its grants are removed. The users themselves stay.`,
              confirmLabel: "Delete group",
            });
            if (ok) remove.mutate(undefined);
          }}
        >
          Delete
        </Button>
      </div>
      <ErrorAlert error={remove.error} />
      <EditGroupDialog group={group} open={editing} onOpenChange={setEditing} />
    </div>
  );
}

const columns: Column<Group>[] = [
  {
    header: "Group",
    cell: (g) => (
      <div className="min-w-0">
        <Link
          to="/groups/$id"
          params={{ id: g.id }}
          className="font-medium break-all text-primary hover:underline"
        >
          {g.name}
        </Link>
        {g.builtin ? (
          <span className="ml-2">
            <Badge tone="info">super</Badge>
          </span>
        ) : null}
        {g.description ? (
          <p className="text-xs wrap-anywhere whitespace-pre-wrap text-fg-muted">{g.description}</p>
        ) : null}
      </div>
    ),
  },
  { header: "Members", cell: (g) => g.members },
  { header: "Created", cell: (g) => formatDateTime(g.createdAt), wide: true },
  { header: "Actions", cell: (g) => <GroupActions group={g} />, className: "text-right" },
];

export function GroupsPage() {
  const [q, setQ] = useState("");
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const paged = usePaged(["groups", { q }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups", {
        params: { query: { cursor, limit, q: q.trim() || undefined } },
      }),
    ),
  );
  return (
    <>
      <PageHeader
        title="Groups"
        description="Sets of users. A role given to a group goes to each of its members. Members of super are admin everywhere."
        actions={
          <Button onClick={() => setCreating(true)}>
            <Plus className="h-4 w-4" aria-hidden="true" /> New group
          </Button>
        }
      />
      <div className="mb-4 flex flex-wrap gap-3">
        <Input
          type="search"
          aria-label="Search groups"
          placeholder="Search by name"
          className="max-w-xs"
          value={q}
          maxLength={100}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <DataTable
        label="Groups"
        columns={columns}
        paged={paged}
        rowKey={(g) => g.id}
        empty={
          <EmptyState title={q ? "No group matches this search." : "No groups yet."}>
            {q ? "Change the search." : "Create one with “New group”."}
          </EmptyState>
        }
      />
      <CreateGroupDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/groups/$id", params: { id } })}
      />
    </>
  );
}

function GroupForm({
  initial,
  submitLabel,
  onSubmit,
  error,
  busy,
  onCancel,
}: {
  initial: { name: string; description: string };
  submitLabel: string;
  onSubmit: (v: { name: string; description: string }) => void;
  error: unknown;
  busy: boolean;
  onCancel: () => void;
}) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ name: name.trim(), description });
  };
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Field
        label="Name"
        hint="Lowercase letters, digits and dashes, starting with a letter."
        error={fieldError(error, "name")}
      >
        <Input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={63}
          autoComplete="off"
        />
      </Field>
      <Field label="Description" hint="Optional." error={fieldError(error, "description")}>
        <Input
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={500}
          autoComplete="off"
        />
      </Field>
      <ErrorAlert error={unshownError(error, ["name", "description"])} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

function CreateGroupDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onCreated: (id: string) => void;
}) {
  const create = useApiMutation(
    async (v: { name: string; description: string }) =>
      unwrap(await api.POST("/api/v1/groups", { body: v })),
    {
      invalidate: [["groups"]],
      onSuccess: (g) => {
        onOpenChange(false);
        onCreated(g.id);
      },
    },
  );
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) create.reset();
        onOpenChange(o);
      }}
      title="New group"
    >
      {open ? (
        <GroupForm
          initial={{ name: "", description: "" }}
          submitLabel="Create group"
          onSubmit={(v) => create.mutate(v)}
          error={create.error}
          busy={create.isPending}
          onCancel={() => onOpenChange(false)}
        />
      ) : null}
    </Dialog>
  );
}

export function EditGroupDialog({
  group,
  open,
  onOpenChange,
}: {
  group: Group;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const save = useApiMutation(
    async (v: { name: string; description: string }) =>
      unwrap(
        await api.PATCH("/api/v1/groups/{id}", { params: { path: { id: group.id } }, body: v }),
      ),
    {
      invalidate: [["groups"], ["group", group.id], ["grants"]],
      onSuccess: () => onOpenChange(false),
    },
  );
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) save.reset();
        onOpenChange(o);
      }}
      title={`Edit the group ${group.name}`}
    >
      {open ? (
        <GroupForm
          initial={{ name: group.name, description: group.description }}
          submitLabel="Save"
          onSubmit={(v) => save.mutate(v)}
          error={save.error}
          busy={save.isPending}
          onCancel={() => onOpenChange(false)}
        />
      ) : null}
    </Dialog>
  );
}
