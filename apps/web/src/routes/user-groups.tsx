// The groups a user is in, on the user's page: leave one, add them to another.
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, unwrap } from "../lib/api.ts";
import { usePaged } from "../lib/paging.ts";
import { JoinGroupDialog, RemoveFromGroup } from "./group-members.tsx";
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
    <ListCard
      title="Groups"
      actions={<AddButton size="sm" label="Add to group" onClick={() => setAdding(true)} />}
      label="Groups of this user"
      columns={columns}
      paged={paged}
      rowKey={(g) => g.id}
      empty={
        <EmptyState title="Not in any group.">
          Add them to a group with “Add to group” to give them its roles.
        </EmptyState>
      }
    >
      <JoinGroupDialog user={user} open={adding} onOpenChange={setAdding} />
    </ListCard>
  );
}
