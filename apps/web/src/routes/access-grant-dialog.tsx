// The dialog that gives a role to a user or group on a scope (or replaces the role they have
// there); the page that opens it can fix the principal or the account.
import { type FormEvent, useState } from "react";
import { FormActions } from "../components/form-actions.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import type { DialogProps } from "../components/ui/dialog.tsx";
import { api, unwrap } from "../lib/api.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { PrincipalCell } from "./access-grants.tsx";
import {
  AccountPicker,
  type Picked,
  PrincipalPicker,
  RadioChoice,
  usePrincipalChoice,
} from "./access-pickers.tsx";
import { type PrincipalType, type Role, RoleChoice, type ScopeType } from "./access-roles.tsx";

export interface FixedPrincipal {
  type: PrincipalType;
  id: string;
  name: string;
}

export function GrantDialog({
  open,
  onOpenChange,
  principal,
  account,
}: DialogProps & {
  principal?: FixedPrincipal;
  account?: Picked;
}) {
  return (
    <FormDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New grant"
      description="Gives a role on a scope, or replaces the role this user or group already has there."
    >
      {(done) => <GrantForm principal={principal} account={account} onDone={done} />}
    </FormDialog>
  );
}

function GrantForm({
  principal,
  account: fixedAccount,
  onDone,
}: {
  principal?: FixedPrincipal;
  account?: Picked;
  onDone: () => void;
}) {
  const who = usePrincipalChoice(principal?.type ?? "user");
  const [scopeType, setScopeType] = useState<ScopeType>(fixedAccount ? "account" : "global");
  const [account, setAccount] = useState<Picked | null>(fixedAccount ?? null);
  const [resource, setResource] = useState("");
  const [role, setRole] = useState<Role>("read");
  const create = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/grants", {
          body: {
            principalType: who.type,
            principalId: principal?.id ?? who.value?.id ?? "",
            scopeType,
            scopeId:
              scopeType === "global"
                ? null
                : scopeType === "account"
                  ? (account?.id ?? null)
                  : resource.trim() || null,
            role,
          },
        }),
      ),
    { invalidate: [["grants"], ["account"]], onSuccess: onDone },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <form className="grid gap-5" onSubmit={submit} noValidate>
      {principal ? (
        <div className="grid gap-1 text-sm">
          <span className="font-medium">Given to</span>
          <PrincipalCell
            type={principal.type}
            id={principal.id}
            name={principal.name}
            link={false}
          />
        </div>
      ) : (
        <PrincipalPicker
          legend="Give to"
          {...who}
          error={fieldError(create.error, "principalId")}
          superReason="Admin everywhere already; takes no grants."
        />
      )}
      {fixedAccount ? (
        <div className="grid gap-1 text-sm">
          <span className="font-medium">Where</span>
          <span className="wrap-anywhere">Account {fixedAccount.label}</span>
        </div>
      ) : (
        <div className="grid gap-3">
          <RadioChoice
            legend="Where"
            value={scopeType}
            onChange={setScopeType}
            options={[
              { value: "global", label: "Global", hint: "Every account and resource." },
              { value: "account", label: "One account" },
              { value: "resource", label: "One resource" },
            ]}
          />
          {scopeType === "account" ? (
            <AccountPicker
              label="Account"
              value={account}
              onChange={setAccount}
              error={fieldError(create.error, "scopeId")}
            />
          ) : scopeType === "resource" ? (
            <TextField
              label="Resource"
              hint="Its type and id, for example site:site_01abc."
              error={fieldError(create.error, "scopeId")}
              value={resource}
              onValue={setResource}
              maxLength={140}
              className="font-mono"
            />
          ) : fieldError(create.error, "scopeId") ? (
            <p className="text-sm text-danger" data-field-error="">
              {fieldError(create.error, "scopeId")}
            </p>
          ) : null}
        </div>
      )}
      <RoleChoice value={role} onChange={setRole} error={fieldError(create.error, "role")} />
      <ErrorAlert
        error={unshownError(create.error, [
          ...(principal ? [] : ["principalId"]),
          ...(fixedAccount ? [] : ["scopeId"]),
          "role",
        ])}
      />
      <FormActions submitLabel="Save grant" busy={create.isPending} onCancel={onDone} />
    </form>
  );
}
