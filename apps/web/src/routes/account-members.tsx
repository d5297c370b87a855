// An account's members, on the account's page: change a member's role, remove one, add one.
import { type FormEvent, useState } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Select } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { useMe } from "../lib/session.ts";
import { PrincipalPicker, usePrincipalChoice } from "./access-pickers.tsx";
import { type Role, RoleChoice } from "./access-roles.tsx";
import type { AccountDialogProps } from "./account-forms.tsx";
import type { Account } from "./accounts.tsx";

export type Member = Item<"/api/v1/accounts/{id}/members">;
type MemberRole = Exclude<Role, "none">;

const memberInvalidate = (accountId: string) => [["account", accountId], ["grants"]];

export function MemberActions({ account, member }: { account: Account; member: Member }) {
  const setRole = useApiMutation(
    async (role: MemberRole) =>
      unwrap(
        await api.POST("/api/v1/accounts/{id}/members", {
          params: { path: { id: account.id } },
          body: { principalType: member.principalType, principalId: member.principalId, role },
        }),
      ),
    { invalidate: memberInvalidate(account.id) },
  );
  const remove = useApiMutation(
    async () =>
      unwrap(
        await api.DELETE("/api/v1/accounts/{id}/members/{principalType}/{principalId}", {
          params: {
            path: {
              id: account.id,
              principalType: member.principalType,
              principalId: member.principalId,
            },
          },
        }),
      ),
    { invalidate: memberInvalidate(account.id) },
  );
  return (
    <ActionsWithError error={setRole.error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        <Select
          aria-label={`Change the role of ${member.name}`}
          className="h-8 w-36"
          value=""
          disabled={setRole.isPending}
          onChange={(e) => {
            const role = e.target.value as MemberRole | "";
            if (role) setRole.mutate(role);
          }}
        >
          <option value="">Change role…</option>
          {(["read", "operate", "admin"] as const)
            .filter((r) => r !== member.role)
            .map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
        </Select>
        <ConfirmButton
          size="sm"
          variant="secondary"
          mutation={remove}
          aria-label={`Remove ${member.name}`}
          confirm={{
            title: "Remove this member?",
            description: (
              <span className="wrap-anywhere">
                {member.principalType === "group" ? "The group " : ""}
                <strong className="break-all">{member.name}</strong>{" "}
                {member.role === "none"
                  ? "no longer has an explicit none here: wider grants apply again."
                  : `loses the ${member.role} role on ${account.name}. Roles from groups and global grants stay.`}
              </span>
            ),
            confirmLabel: "Remove member",
          }}
        >
          Remove
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}

export function AddMemberDialog({ account, open, onOpenChange }: AccountDialogProps) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add a member"
      description={
        <span className="wrap-anywhere">
          Gives a user or a group a role on {account.name}, or changes the role they have.
        </span>
      }
    >
      {(done) => <AddMemberForm account={account} onDone={done} />}
    </FormDialog>
  );
}

function AddMemberForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const me = useMe();
  const who = usePrincipalChoice("user");
  const [typedId, setTypedId] = useState("");
  const [role, setRole] = useState<Role>("read");
  const add = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/accounts/{id}/members", {
          params: { path: { id: account.id } },
          body: {
            principalType: who.type,
            principalId: me.super ? (who.value?.id ?? "") : typedId.trim(),
            role: role as MemberRole,
          },
        }),
      ),
    { invalidate: memberInvalidate(account.id), onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(undefined);
  };
  const idError = fieldError(add.error, "principalId");
  return (
    <form className="grid gap-5" onSubmit={submit} noValidate>
      <PrincipalPicker
        legend="Member"
        {...who}
        error={idError}
        superReason="Admin everywhere already."
        instead={
          me.super ? undefined : (
            <TextField
              label={who.type === "user" ? "User id" : "Group id"}
              hint="Ask a super user for it."
              error={idError}
              value={typedId}
              onValue={setTypedId}
              maxLength={64}
              className="font-mono"
            />
          )
        }
      />
      <RoleChoice
        value={role}
        onChange={setRole}
        allowNone={false}
        error={fieldError(add.error, "role")}
      />
      <ErrorAlert error={unshownError(add.error, ["principalId", "role"])} />
      <FormActions submitLabel="Add member" busy={add.isPending} onCancel={onDone} />
    </form>
  );
}
