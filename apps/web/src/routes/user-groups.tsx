// The groups a user is in, on the user's page: leave one, add them to another.
import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { EmptyState } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { GroupPicker, type Picked } from "./access-pickers.tsx";
import { RemoveFromGroup } from "./group-members.tsx";
import type { Group } from "./groups.tsx";
import type { User } from "./users.tsx";

export function UserGroupsCard({ user }: { user: User }) {
  const [adding, setAdding] = useState(false);
  const paged = usePaged(["groups", { userId: user.id }], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups", {
        params: { query: { cursor, limit, userId: user.id } },
      }),
    ),
  );
  const columns: Column<Group>[] = [
    {
      header: "Group",
      cell: (g) => (
        <span className="flex min-w-28 flex-wrap items-center gap-2">
          <Link
            to="/groups/$id"
            params={{ id: g.id }}
            className="font-medium wrap-anywhere text-primary hover:underline"
          >
            {g.name}
          </Link>
          {g.builtin ? <Badge tone="info">admin everywhere</Badge> : null}
        </span>
      ),
    },
    {
      header: "Description",
      cell: (g) => <span className="wrap-anywhere whitespace-pre-wrap">{g.description}</span>,
      wide: true,
    },
    {
      header: "Actions",
      cell: (g) => (
        <RemoveFromGroup
          group={g}
          userId={user.id}
          email={user.email}
          label={`Remove from ${g.name}`}
          confirmLabel="Remove from group"
        />
      ),
      className: "text-right",
    },
  ];
  return (
    <Card
      title="Groups"
      actions={<AddButton size="sm" label="Add to group" onClick={() => setAdding(true)} />}
    >
      <DataTable
        label="Groups of this user"
        columns={columns}
        paged={paged}
        rowKey={(g) => g.id}
        empty={
          <EmptyState title="Not in any group.">
            Add them to a group with “Add to group” to give them its roles.
          </EmptyState>
        }
      />
      <AddToGroupDialog user={user} open={adding} onOpenChange={setAdding} />
    </Card>
  );
}

function AddToGroupDialog({
  user,
  open,
  onOpenChange,
}: DialogProps & {
  user: User;
}) {
  const [group, setGroup] = useState<Picked | null>(null);
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/groups/{id}/members", {
          params: { path: { id: group?.id ?? "-" } },
          body: { userId: user.id },
        }),
      ),
    {
      invalidate: [["groups"], ["group"], ["grants"], ["users"], ["user", user.id]],
      onSuccess: () => {
        setGroup(null);
        onOpenChange(false);
      },
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={resetOnClose(add, onOpenChange)}
      title="Add to a group"
      description="They get every role the group has; members of super are admin everywhere."
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <GroupPicker label="Group" value={group} onChange={setGroup} />
        <ErrorAlert error={add.error} />
        <FormActions
          submitLabel="Add to group"
          busy={add.isPending}
          disabled={!group}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}
