// A group's members, on the group's page: the list, remove one, add one from a search.
import { type FormEvent, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column } from "../components/data-table.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { MembershipCard } from "../components/membership-card.tsx";
import { EmptyState } from "../components/page.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { GroupPicker, type Picked, UserPicker } from "./access-pickers.tsx";
import type { Group } from "./groups.tsx";
import type { User } from "./users.tsx";

type Member = Item<"/api/v1/groups/{id}/members">;

export function MembersCard({ group }: { group: Group }) {
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
        <RecordLink to="/users/$id" id={m.userId}>
          <span className="break-all">{m.email}</span>
          {m.name ? (
            <span className="block text-xs font-normal wrap-anywhere text-fg-muted">{m.name}</span>
          ) : null}
        </RecordLink>
      ),
    },
    { header: "Added", cell: (m) => formatDateTime(m.addedAt), wide: true },
  ];
  return (
    <MembershipCard
      title="Members"
      addLabel="Add member"
      label="Members"
      columns={columns}
      remove={(m) => (
        <RemoveFromGroup
          group={group}
          userId={m.userId}
          email={m.email}
          label={`Remove ${m.email} from ${group.name}`}
          confirmLabel="Remove member"
        />
      )}
      paged={paged}
      rowKey={(m) => m.userId}
      empty={
        <EmptyState title="No members yet.">
          Add users with “Add member”; they get every role this group has.
        </EmptyState>
      }
      addDialog={(open, onOpenChange) => (
        <JoinGroupDialog group={group} open={open} onOpenChange={onOpenChange} />
      )}
    />
  );
}

/** Takes a user out of a group, after the confirmation: on the group's page and on the user's. */
export function RemoveFromGroup({
  group,
  userId,
  email,
  label,
  confirmLabel,
}: {
  group: Group;
  userId: string;
  email: string;
  /** the button's accessible name */
  label: string;
  confirmLabel: string;
}) {
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/groups/{id}/members/{userId}", {
          params: { path: { id: group.id, userId } },
        }),
      ),
    { invalidate: [["group", group.id], ["groups"], ["grants"], ["users"], ["user", userId]] },
  );
  return (
    <ActionsWithError error={remove.error}>
      <ConfirmButton
        size="sm"
        variant="secondary"
        busy={remove.isPending}
        aria-label={label}
        confirm={{
          title: `Remove ${email} from ${group.name}?`,
          description: group.builtin
            ? "They stop being a super user: they keep only the roles their own grants and other groups give them."
            : "They lose the roles this group gives them; their own grants and other groups stay.",
          confirmLabel,
        }}
        onConfirm={() => remove.mutate(undefined)}
      >
        Remove
      </ConfirmButton>
    </ActionsWithError>
  );
}

/**
 * Puts a user in a group: on the group's page (pick the user) and on the user's page (pick the
 * group).
 */
export function JoinGroupDialog({
  group,
  user,
  open,
  onOpenChange,
}: DialogProps & ({ group: Group; user?: undefined } | { group?: undefined; user: User })) {
  const [picked, setPicked] = useState<Picked | null>(null);
  const groupId = group?.id ?? picked?.id;
  const userId = user?.id ?? picked?.id;
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/groups/{id}/members", {
          params: { path: { id: groupId ?? "-" } },
          body: { userId: userId ?? "" },
        }),
      ),
    {
      invalidate: [["groups"], ["group"], ["grants"], ["users"], ["user"]],
      onSuccess: () => {
        setPicked(null);
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
      title={group ? `Add a member to ${group.name}` : "Add to a group"}
      description={
        group && !group.builtin
          ? "The user gets every role this group has."
          : "They get every role the group has; members of super are admin everywhere."
      }
    >
      <form className="grid gap-4" onSubmit={submit} noValidate>
        {group ? (
          <UserPicker
            label="User"
            value={picked}
            onChange={setPicked}
            error={fieldError(add.error, "userId")}
          />
        ) : (
          <GroupPicker label="Group" value={picked} onChange={setPicked} />
        )}
        <ErrorAlert error={unshownError(add.error, ["userId"])} />
        <FormActions
          submitLabel={group ? "Add member" : "Add to group"}
          busy={add.isPending}
          disabled={!picked}
          onCancel={() => onOpenChange(false)}
        />
      </form>
    </Dialog>
  );
}
