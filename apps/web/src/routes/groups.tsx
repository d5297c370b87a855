// Groups: list with search, create, edit and delete; the built-in super group is immutable.
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { Lock } from "lucide-react";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EditDeleteActions } from "../components/confirm-button.tsx";
import { type Column, sortKeysOf } from "../components/data-table.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { api, type Item, type SortOf, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { useUrlFilters, useUrlSort } from "../lib/url-search.ts";
import { CreateGroupDialog, EditGroupDialog } from "./group-forms.tsx";

export type Group = Item<"/api/v1/groups">;

const route = getRouteApi("/app/groups");

export function ImmutableBadge() {
  return (
    <span className="inline-flex items-start gap-1 text-left text-xs text-fg-muted">
      <Lock className="mt-px h-3.5 w-3.5 shrink-0" aria-hidden="true" /> built in, cannot be changed
    </span>
  );
}

/** Edit and delete, or a note that the group is built in. */
export function GroupActions({ group, afterDelete }: { group: Group; afterDelete?: () => void }) {
  const [editing, setEditing] = useState(false);
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/groups/{id}", { params: { path: { id: group.id } } })),
    { invalidate: [["groups"], ["grants"]], onSuccess: afterDelete },
  );
  if (group.builtin) return <ImmutableBadge />;
  return (
    <>
      <EditDeleteActions
        noun="group"
        name={group.name}
        consequence={`Its ${group.members} member${group.members === 1 ? "" : "s"} lose the roles the group gave them, and its grants are removed. The users themselves stay.`}
        remove={remove}
        onEdit={() => setEditing(true)}
      />
      <EditGroupDialog group={group} open={editing} onOpenChange={setEditing} />
    </>
  );
}

const columns: Column<Group>[] = [
  {
    header: "Group",
    sort: "name",
    cell: (g) => (
      <div className="min-w-0">
        <RecordLink to="/groups/$id" id={g.id} className="break-all">
          {g.name}
        </RecordLink>
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
  {
    header: "Created",
    cell: (g) => formatDateTime(g.createdAt),
    wide: true,
    sort: "createdAt",
  },
  { header: "Actions", cell: (g) => <GroupActions group={g} />, className: "text-right" },
];

export function GroupsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/groups", search);
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const sort = useUrlSort("/groups", search, sortKeysOf(columns));
  const paged = usePaged(["groups", search], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups", {
        params: {
          query: { cursor, limit, q: search.q, sort: sort.value as SortOf<"/api/v1/groups"> },
        },
      }),
    ),
  );
  return (
    <>
      <ListPage
        title="Groups"
        description="Sets of users. A role given to a group goes to each of its members. Members of super are admin everywhere."
        actions={
          <AddButton label="New group" can="manageGroups" onClick={() => setCreating(true)} />
        }
        filters={{
          ...filters,
          search: { label: "Search groups", placeholder: "Search by name" },
        }}
        label="Groups"
        columns={columns}
        sort={sort}
        paged={paged}
        rowKey={(g) => g.id}
        empty={<EmptyState title="No groups yet.">Create one with “New group”.</EmptyState>}
      />
      <CreateGroupDialog
        open={creating}
        onOpenChange={setCreating}
        onCreated={(id) => navigate({ to: "/groups/$id", params: { id } })}
      />
    </>
  );
}
