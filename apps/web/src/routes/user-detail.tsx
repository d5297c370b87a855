// One user: profile, status and second factors, the admin actions (disable, reset 2FA, set a
// password), the groups they are in and every grant that gives them a role.
import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { KeyRound, Plus } from "lucide-react";
import { type FormEvent, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Alert, ErrorAlert } from "../components/ui/alert.tsx";
import { Badge } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { GrantDialog, GrantsTable } from "./access-grants.tsx";
import { BackLink, DetailState } from "./access-parts.tsx";
import { GroupPicker, type Picked } from "./access-pickers.tsx";
import type { Group } from "./groups.tsx";
import { UserActions } from "./user-actions.tsx";
import { TwoFactorStatus, type User, UserStatus } from "./users.tsx";

const route = getRouteApi("/app/users/$id");

export function UserDetailPage() {
  const { id } = route.useParams();
  const user = useQuery({
    queryKey: ["user", id],
    queryFn: async () => unwrap(await api.GET("/api/v1/users/{id}", { params: { path: { id } } })),
  });
  const back = <BackLink to="/users" label="Users" />;
  if (!user.data) return <DetailState query={user} back={back} />;
  const u = user.data;
  return (
    <>
      {back}
      <div className="min-w-0 break-all">
        <PageHeader
          title={u.email}
          description={u.name ? <span className="wrap-anywhere">{u.name}</span> : undefined}
        />
      </div>
      <div className="grid gap-6">
        <Card title="Profile" actions={<SetPasswordButton user={u} />}>
          <div className="grid gap-4">
            <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[9rem_1fr]">
              <dt className="text-fg-muted">Email</dt>
              <dd className="min-w-0 break-all">{u.email}</dd>
              <dt className="text-fg-muted">Name</dt>
              <dd className="min-w-0 wrap-anywhere whitespace-pre-wrap">
                {u.name || <span className="text-fg-muted">—</span>}
              </dd>
              <dt className="text-fg-muted">Status</dt>
              <dd>
                <UserStatus user={u} />
              </dd>
              <dt className="text-fg-muted">Second factors</dt>
              <dd>
                <TwoFactorStatus user={u} />
              </dd>
              <dt className="text-fg-muted">Created</dt>
              <dd>{formatDateTime(u.createdAt)}</dd>
              <dt className="text-fg-muted">Id</dt>
              <dd className="font-mono text-xs break-all">{u.id}</dd>
            </dl>
            <div className="border-t border-border pt-3">
              <UserActions user={u} />
            </div>
          </div>
        </Card>
        <UserGroupsCard user={u} />
        <UserGrantsCard user={u} />
      </div>
    </>
  );
}

function SetPasswordButton({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>
        <KeyRound className="h-4 w-4" aria-hidden="true" /> Set password
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Set a new password"
        description={<span className="break-all">For {user.email}.</span>}
      >
        {open ? <SetPasswordForm user={user} onDone={() => setOpen(false)} /> : null}
      </Dialog>
    </>
  );
}

function SetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const confirm = useConfirm();
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const set = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/users/{id}/password", {
          params: { path: { id: user.id } },
          body: { password },
        }),
      ),
    { invalidate: [["user", user.id]], onSuccess: () => setDone(true) },
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const ok = await confirm({
      title: `Replace the password of ${user.email}?`,
      description:
        "Their current password stops working and every session of theirs ends. Tell them the new one through a safe channel.",
      confirmLabel: "Set password",
    });
    if (ok) set.mutate(undefined);
  };
  if (done) {
    return (
      <div className="grid gap-4">
        <Alert tone="ok">The password is set and their sessions have ended.</Alert>
        <div className="flex justify-end">
          <Button onClick={onDone}>Close</Button>
        </div>
      </div>
    );
  }
  return (
    <form className="grid gap-4" onSubmit={submit} noValidate>
      <Field
        label="New password"
        hint="At least 10 characters."
        error={fieldError(set.error, "password")}
      >
        <Input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="new-password"
          maxLength={128}
        />
      </Field>
      <Field
        label="Repeat the new password"
        error={mismatch ? "The two passwords differ." : undefined}
      >
        <Input
          type="password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          autoComplete="new-password"
          maxLength={128}
        />
      </Field>
      <ErrorAlert error={unshownError(set.error, ["password"])} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" busy={set.isPending}>
          Set password
        </Button>
      </div>
    </form>
  );
}

function UserGroupsCard({ user }: { user: User }) {
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
      cell: (g) => <LeaveGroup user={user} group={g} />,
      className: "text-right",
    },
  ];
  return (
    <Card
      title="Groups"
      actions={
        <Button size="sm" onClick={() => setAdding(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> Add to group
        </Button>
      }
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

function LeaveGroup({ user, group }: { user: User; group: Group }) {
  const confirm = useConfirm();
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/groups/{id}/members/{userId}", {
          params: { path: { id: group.id, userId: user.id } },
        }),
      ),
    { invalidate: [["groups"], ["group", group.id], ["grants"], ["users"], ["user", user.id]] },
  );
  return (
    <div className="grid justify-items-end gap-1">
      <Button
        size="sm"
        variant="secondary"
        busy={remove.isPending}
        aria-label={`Remove from ${group.name}`}
        onClick={async () => {
          const ok = await confirm({
            title: `Remove ${user.email} from ${group.name}?`,
            description: group.builtin
              ? "They stop being a super user: they keep only the roles their own grants and other groups give them."
              : "They lose the roles this group gives them; their own grants and other groups stay.",
            confirmLabel: "Remove from group",
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

function AddToGroupDialog({
  user,
  open,
  onOpenChange,
}: {
  user: User;
  open: boolean;
  onOpenChange: (o: boolean) => void;
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
      onOpenChange={(o) => {
        if (!o) add.reset();
        onOpenChange(o);
      }}
      title="Add to a group"
      description="They get every role the group has; members of super are admin everywhere."
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        <GroupPicker label="Group" value={group} onChange={setGroup} />
        <ErrorAlert error={add.error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" busy={add.isPending} disabled={!group}>
            Add to group
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function UserGrantsCard({ user }: { user: User }) {
  const [creating, setCreating] = useState(false);
  return (
    <Card
      title="Roles"
      actions={
        <Button size="sm" onClick={() => setCreating(true)}>
          <Plus className="h-4 w-4" aria-hidden="true" /> New grant
        </Button>
      }
    >
      <div className="grid gap-4">
        {user.super ? (
          <Alert>
            A super user: admin everywhere through the super group, whatever the grants below say.
          </Alert>
        ) : null}
        <GrantsTable
          label="Grants that apply to this user"
          filter={{ userId: user.id }}
          forUser={user.id}
          empty={
            <EmptyState title="No grant gives this user a role.">
              {user.super
                ? "As a super user they need none."
                : "Give them a role with “New grant”, or add them to a group that has one."}
            </EmptyState>
          }
        />
      </div>
      <GrantDialog
        open={creating}
        onOpenChange={setCreating}
        principal={{ type: "user", id: user.id, name: user.email }}
      />
    </Card>
  );
}
