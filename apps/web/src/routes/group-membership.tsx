// Group membership, one home for both sides: a group's members (on the group's page) and a
// user's groups (on the user's page) share the card, the remove button and the add dialog.
import { type FormEvent, type ReactNode, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import type { Column, DataTableProps } from "../components/data-table.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { ListCard } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Dialog, type DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { GroupPicker, type Picked, UserPicker } from "./access-pickers.tsx";
import type { Group } from "./groups.tsx";
import type { User } from "./users.tsx";

/** Who a membership row joins: the group, and the user by id and email. */
interface Membership {
  group: Group;
  userId: string;
  email: string;
}

/**
 * The membership list of one group (rows are its members) or of one user (rows are their
 * groups): the columns given, then each row's remove button; "add" opens the join dialog.
 */
export function MembershipCard<T>({
  group,
  user,
  columns,
  membership,
  ...table
}: Omit<DataTableProps<T>, "columns" | "label" | "empty"> &
  ({ group: Group; user?: undefined } | { group?: undefined; user: User }) & {
    /** the columns before the remove button's */
    columns: Column<T>[];
    membership: (row: T) => Membership;
  }) {
  const [adding, setAdding] = useState(false);
  const addLabel = group ? "Add member" : "Add to group";
  const remove = (row: T) => {
    const { group: of, userId, email } = membership(row);
    return (
      <RemoveFromGroup
        group={of}
        userId={userId}
        email={email}
        label={group ? `Remove ${email} from ${of.name}` : `Remove from ${of.name}`}
        confirmLabel={group ? "Remove member" : "Remove from group"}
      />
    );
  };
  return (
    <ListCard
      title={group ? "Members" : "Groups"}
      actions={<AddButton size="sm" label={addLabel} onClick={() => setAdding(true)} />}
      label={group ? "Members" : "Groups of this user"}
      columns={[...columns, { header: "Actions", cell: remove, className: "text-right" }]}
      empty={group ? NO_MEMBERS : NO_GROUPS}
      {...table}
    >
      {group ? (
        <JoinGroupDialog group={group} open={adding} onOpenChange={setAdding} />
      ) : (
        <JoinGroupDialog user={user} open={adding} onOpenChange={setAdding} />
      )}
    </ListCard>
  );
}

const NO_MEMBERS: ReactNode = (
  <EmptyState title="No members yet.">
    Add users with “Add member”; they get every role this group has.
  </EmptyState>
);

const NO_GROUPS: ReactNode = (
  <EmptyState title="Not in any group.">
    Add them to a group with “Add to group” to give them its roles.
  </EmptyState>
);

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
        mutation={remove}
        aria-label={label}
        confirm={{
          title: `Remove ${email} from ${group.name}?`,
          description: group.builtin
            ? "They stop being a super user: they keep only the roles their own grants and other groups give them."
            : "They lose the roles this group gives them; their own grants and other groups stay.",
          confirmLabel,
        }}
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
