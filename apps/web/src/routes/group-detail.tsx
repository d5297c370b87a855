// One group: what it is, its members (add from a search, remove) and the roles it gives.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { GrantDialog, GrantsTable } from "./access-grants.tsx";
import { BackLink, DetailState } from "./access-parts.tsx";
import { type Picked, UserPicker } from "./access-pickers.tsx";
import { type Group, GroupActions } from "./groups.tsx";

const route = getRouteApi("/app/groups/$id");
type Member = Item<"/api/v1/groups/{id}/members">;

export function GroupDetailPage() {
  const { id } = route.useParams();
  const navigate = useNavigate();
  const group = useQuery({
    queryKey: ["group", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/groups/{id}", { params: { path: { id } } })),
  });
  const back = <BackLink to="/groups" label="Groups" />;
  if (!group.data) return <DetailState query={group} back={back} />;
  const g = group.data;
  return (
    <>
      {back}
      <PageHeader
        title={g.name}
        description={
          g.description ? (
            <span className="wrap-anywhere whitespace-pre-wrap">{g.description}</span>
          ) : undefined
        }
        actions={<GroupActions group={g} afterDelete={() => navigate({ to: "/groups" })} />}
      />
      <div className="grid gap-6">
        {g.builtin ? (
          <Alert>
            <strong>super</strong> is built in: its members are admin everywhere and the only
            holders of system privileges (users, groups, global grants, settings). It cannot be
            renamed, deleted or given grants. The last enabled super user cannot leave it.
          </Alert>
        ) : null}
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="text-fg-muted">Members</dt>
          <dd>{g.members}</dd>
          <dt className="text-fg-muted">Created</dt>
          <dd>{formatDateTime(g.createdAt)}</dd>
          <dt className="text-fg-muted">Kind</dt>
          <dd>{g.builtin ? <Badge tone="info">built in</Badge> : "created here"}</dd>
        </dl>
        <MembersCard group={g} />
        {g.builtin ? null : <GroupGrantsCard group={g} />}
      </div>
    </>
  );
}

function MembersCard({ group }: { group: Group }) {
  const [adding, setAdding] = useState(false);
  const paged = usePaged(["group", group.id, "members"], async (cursor, limit) =>
    unwrap(
      await api.GET("/api/v1/groups/{id}/members", {
        params: { path: { id: group.id }, query: { cursor, limit } },
      }),
    ),
  );
  const columns: Column<Member>[] = [
    {
      header: "User",
      cell: (m) => (
        <Link
          to="/users/$id"
          params={{ id: m.userId }}
          className="font-medium text-primary hover:underline"
        >
          <span className="break-all">{m.email}</span>
          {m.name ? (
            <span className="block text-xs font-normal wrap-anywhere text-fg-muted">{m.name}</span>
          ) : null}
        </Link>
      ),
    },
    { header: "Added", cell: (m) => formatDateTime(m.addedAt), wide: true },
    {
      header: "Actions",
      cell: (m) => <RemoveMember group={group} member={m} />,
      className: "text-right",
    },
  ];
  return (
    <Card
      title="Members"
      actions={
        <Button size="sm" onClick={() => setAdding(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add member
        </Button>
      }
    >
      <DataTable
        label="Members"
        columns={columns}
        paged={paged}
        rowKey={(m) => m.userId}
        empty={
          <EmptyState title="No members yet.">
            Add users with “Add member”; they get every role this group has.
          </EmptyState>
        }
      />
      <AddMemberDialog group={group} open={adding} onOpenChange={setAdding} />
    </Card>
  );
}

function RemoveMember({ group, member }: { group: Group; member: Member }) {
  const confirm = useConfirm();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/groups/{id}/members/{userId}", {
          params: { path: { id: group.id, userId: member.userId } },
        }),
      ),
    {
      invalidate: [["group", group.id], ["groups"], ["grants"], ["users"], ["user", member.userId]],
    },
  );
  return (
    <div className="grid justify-items-end gap-1">
      <Button
        size="sm"
        variant="secondary"
        busy={remove.isPending}
        aria-label={`Remove ${member.email} from ${group.name}`}
        onClick={async () => {
          const ok = await confirm({
            title: `Remove ${member.email} from ${group.name}?`,
            description: group.builtin
              ? "They stop being a super user: they keep only the roles their own grants and other groups give them."
              : "They lose the roles this group gives them; their own grants and other groups stay.",
            confirmLabel: "Remove member",
          });
          if (ok) remove.mutate(undefined);
        }}
      >
        Remove
      </Button>
      <ErrorAlert error={remove.error} />
    </div>
  );
}

function AddMemberDialog({
  group,
  open,
  onOpenChange,
}: {
  group: Group;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const [user, setUser] = useState<Picked | null>(null);
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/groups/{id}/members", {
          params: { path: { id: group.id } },
          body: { userId: user?.id ?? "" },
        }),
      ),
    {
      invalidate: [["group", group.id], ["groups"], ["grants"], ["users"], ["user"]],
      onSuccess: () => {
        setUser(null);
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
      onOpenChange={(o) => {
        if (!o) add.reset();
        onOpenChange(o);
      }}
      title={`Add a member to ${group.name}`}
      description={
        group.builtin
          ? "Members of super are admin everywhere."
          : "The user gets every role this group has."
      }
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <UserPicker
          label="User"
          value={user}
          onChange={setUser}
          error={fieldError(add.error, "userId")}
        />
        <ErrorAlert error={unshownError(add.error, ["userId"])} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={add.isPending}>
            Add member
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function GroupGrantsCard({ group }: { group: Group }) {
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title="Roles this group gives"
      actions={
        <Button size="sm" onClick={() => setCreating(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> New grant
        </Button>
      }
    >
      <GrantsTable
        label="Grants of this group"
        filter={{ principalType: "group", principalId: group.id }}
        hidePrincipal
        empty={
          <EmptyState title="This group gives no role yet.">
            Give it a role on an account or everywhere with “New grant”.
          </EmptyState>
        }
      />
      <GrantDialog
        open={creating}
        onOpenChange={setCreating}
        principal={{ type: "group", id: group.id, name: group.name }}
      />
    </Card>
  );
}
