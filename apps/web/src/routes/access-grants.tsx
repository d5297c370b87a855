// Grants as the access pages show them: role badges with what each role means, who holds a
// role where (a paged table), the dialog that gives a role, and how roles combine.
import { Link } from "@tanstack/react-router";
import { Globe, UserRound, UsersRound } from "lucide-react";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { type Column, DataTable } from "../components/data-table.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Button } from "../components/ui/button.tsx";
import { Card } from "../components/ui/card.tsx";
import { useConfirm } from "../components/ui/confirm.tsx";
import { Dialog } from "../components/ui/dialog.tsx";
import { Field } from "../components/ui/field.tsx";
import { Input } from "../components/ui/input.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { cn } from "../lib/cn.ts";
import { fieldError, unshownError } from "../lib/errors.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import {
  AccountPicker,
  GroupPicker,
  type Picked,
  RadioChoice,
  UserPicker,
} from "./access-pickers.tsx";

export type Grant = Item<"/api/v1/grants">;
export type Role = Grant["role"];
export type PrincipalType = Grant["principalType"];
export type ScopeType = Grant["scopeType"];
export type GrantFilter = NonNullable<paths["/api/v1/grants"]["get"]["parameters"]["query"]>;

export const ROLES: readonly Role[] = ["none", "read", "operate", "admin"];

export const roleInfo: Record<Role, { label: string; tone: BadgeTone; help: string }> = {
  none: {
    label: "none",
    tone: "danger",
    help: "Explicitly nothing here: blocks the roles this user or group would inherit from a wider scope.",
  },
  read: { label: "read", tone: "neutral", help: "Sees everything in the scope; changes nothing." },
  operate: {
    label: "operate",
    tone: "info",
    help: "Safe operational actions (backups, restarts, renewals, logs) without changing configuration.",
  },
  admin: {
    label: "admin",
    tone: "warn",
    help: "Changes everything in the scope, including who has which role there.",
  },
};

/** A role; an explicit none says plainly that it blocks inherited roles. */
export function RoleBadge({ value: role }: { value: Role }) {
  if (role === "none") {
    return (
      <span className="inline-flex items-start gap-1.5 rounded-md bg-danger/15 px-2 py-0.5 text-xs font-medium text-fg">
        <span aria-hidden="true" className="mt-1 h-1.5 w-1.5 shrink-0 rounded-full bg-danger" />
        explicitly none — blocks inherited roles
      </span>
    );
  }
  return <Badge tone={roleInfo[role].tone}>{roleInfo[role].label}</Badge>;
}

/** The roles as labelled radio buttons, each with its one-line meaning. */
export function RoleChoice({
  value,
  onChange,
  error,
  allowNone = true,
  legend = "Role",
}: {
  value: Role;
  onChange: (r: Role) => void;
  error?: string;
  allowNone?: boolean;
  legend?: string;
}) {
  const name = useId();
  return (
    <fieldset className="grid gap-1.5" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="grid gap-1.5">
        {ROLES.filter((r) => allowNone || r !== "none").map((r) => (
          <label
            key={r}
            className={cn(
              "flex cursor-pointer items-start gap-2 rounded-md border border-border px-3 py-2 text-sm hover:bg-muted",
              value === r && "border-primary bg-primary/10",
            )}
          >
            <input
              type="radio"
              name={name}
              value={r}
              className="mt-0.5 h-4 w-4 shrink-0 accent-primary"
              checked={value === r}
              onChange={() => onChange(r)}
            />
            <span className="min-w-0">
              <span className="block font-medium">{r === "none" ? "none (explicit)" : r}</span>
              <span className="block text-xs text-fg-muted">{roleInfo[r].help}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${name}-error`} className="text-sm text-danger" data-field-error="">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Where a grant applies, in words, for confirmations. */
export function scopeText(g: Pick<Grant, "scopeType" | "scopeId" | "scopeName">): string {
  if (g.scopeType === "global") return "everything (global)";
  if (g.scopeType === "account") return `the account ${g.scopeName ?? g.scopeId ?? ""}`;
  return `the resource ${g.scopeId ?? ""}`;
}

export function ScopeCell({ grant }: { grant: Grant }) {
  if (grant.scopeType === "global") {
    return (
      <span className="inline-flex items-center gap-1.5">
        <Globe className="h-4 w-4 shrink-0 text-fg-muted" aria-hidden="true" />
        Global <span className="text-xs text-fg-muted">(everything)</span>
      </span>
    );
  }
  if (grant.scopeType === "account" && grant.scopeId) {
    return (
      <span className="block min-w-28 md:min-w-36">
        <span className="block text-xs text-fg-muted">Account</span>
        <Link
          to="/accounts/$id"
          params={{ id: grant.scopeId }}
          className="font-medium wrap-anywhere text-primary hover:underline"
        >
          {grant.scopeName ?? grant.scopeId}
        </Link>
      </span>
    );
  }
  return (
    <span className="block min-w-28 md:min-w-36">
      <span className="block text-xs text-fg-muted">Resource</span>
      <span className="font-mono text-xs break-all">{grant.scopeId}</span>
    </span>
  );
}

/** A user or a group, linked to its page when the viewer may open it. */
export function PrincipalCell({
  type,
  id,
  name,
  link = true,
}: {
  type: PrincipalType;
  id: string;
  name: string;
  link?: boolean;
}) {
  const Icon = type === "user" ? UserRound : UsersRound;
  const text = <span className="break-all">{name}</span>;
  return (
    <span className="flex min-w-28 items-start gap-1.5 md:min-w-36">
      <Icon className="mt-0.5 h-4 w-4 shrink-0 text-fg-muted" aria-hidden="true" />
      <span className="sr-only">{type === "user" ? "User" : "Group"}</span>
      {!link ? (
        text
      ) : type === "user" ? (
        <Link to="/users/$id" params={{ id }} className="font-medium text-primary hover:underline">
          {text}
        </Link>
      ) : (
        <Link to="/groups/$id" params={{ id }} className="font-medium text-primary hover:underline">
          {text}
        </Link>
      )}
    </span>
  );
}

export function RemoveGrantButton({ grant }: { grant: Grant }) {
  const confirm = useConfirm();
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/grants/{id}", { params: { path: { id: grant.id } } })),
    { invalidate: [["grants"], ["account"]] },
  );
  return (
    <div className="grid justify-items-end gap-1">
      <Button
        size="sm"
        variant="secondary"
        busy={remove.isPending}
        aria-label={`Remove the grant of ${grant.principalName} on ${scopeText(grant)}`}
        onClick={async () => {
          const ok = await confirm({
            title: "Remove this grant?",
            description: (
              <span className="wrap-anywhere">
                {grant.role === "none"
                  ? `${grant.principalName} no longer has an explicit none on ${scopeText(grant)}: they inherit again what wider grants give them.`
                  : `${grant.principalName} loses the ${grant.role} role on ${scopeText(grant)}. What they inherit from their groups and wider scopes stays.`}
              </span>
            ),
            confirmLabel: "Remove grant",
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

/**
 * The grants matching a filter, a page at a time. `forUser` (on a user's page) says for each
 * grant whether it is the user's own or comes through a group.
 */
export function GrantsTable({
  label,
  filter,
  empty,
  hidePrincipal,
  hideScope,
  forUser,
}: {
  label: string;
  filter: GrantFilter;
  empty: ReactNode;
  hidePrincipal?: boolean;
  hideScope?: boolean;
  forUser?: string;
}) {
  const paged = usePaged(["grants", filter], async (cursor, limit) =>
    unwrap(await api.GET("/api/v1/grants", { params: { query: { ...filter, cursor, limit } } })),
  );
  const givenBy = (g: Grant) =>
    forUser && g.principalType === "user" && g.principalId === forUser ? (
      <span className="text-fg-muted">Their own grant</span>
    ) : (
      <span className="grid gap-0.5">
        {forUser ? <span className="text-xs text-fg-muted">through the group</span> : null}
        <PrincipalCell type={g.principalType} id={g.principalId} name={g.principalName} />
      </span>
    );
  const columns: Column<Grant>[] = [
    {
      // narrow screens: one column says it all, so the table needs no sideways scrolling
      header: "Grant",
      className: "md:hidden",
      cell: (g) => (
        <span className="grid min-w-0 gap-1.5">
          {hidePrincipal ? null : givenBy(g)}
          {hideScope ? null : <ScopeCell grant={g} />}
          <span>
            <RoleBadge value={g.role} />
          </span>
        </span>
      ),
    },
  ];
  if (!hidePrincipal) {
    columns.push({ header: forUser ? "Given by" : "Principal", cell: givenBy, wide: true });
  }
  if (!hideScope) {
    columns.push({ header: "Where", cell: (g) => <ScopeCell grant={g} />, wide: true });
  }
  columns.push(
    { header: "Role", cell: (g) => <RoleBadge value={g.role} />, wide: true },
    {
      header: "Given",
      cell: (g) => formatDateTime(g.createdAt),
      wide: true,
      className: "whitespace-nowrap",
    },
    {
      header: "Actions",
      cell: (g) => <RemoveGrantButton grant={g} />,
      className: "text-right",
    },
  );
  return (
    <DataTable label={label} columns={columns} paged={paged} rowKey={(g) => g.id} empty={empty} />
  );
}

export interface FixedPrincipal {
  type: PrincipalType;
  id: string;
  name: string;
}

/**
 * Gives a role to a user or group on a scope (or replaces the role they have there). The
 * principal or the scope can be fixed by the page that opens it.
 */
export function GrantDialog({
  open,
  onOpenChange,
  principal,
  account,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  principal?: FixedPrincipal;
  account?: Picked;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New grant"
      description="Gives a role on a scope, or replaces the role this user or group already has there."
    >
      {/* mounted only while open, so each opening starts blank */}
      {open ? (
        <GrantForm principal={principal} account={account} onDone={() => onOpenChange(false)} />
      ) : null}
    </Dialog>
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
  const [principalType, setPrincipalType] = useState<PrincipalType>(principal?.type ?? "user");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [scopeType, setScopeType] = useState<ScopeType>(fixedAccount ? "account" : "global");
  const [account, setAccount] = useState<Picked | null>(fixedAccount ?? null);
  const [resource, setResource] = useState("");
  const [role, setRole] = useState<Role>("read");
  const create = useApiMutation(
    async () =>
      unwrap(
        await api.POST("/api/v1/grants", {
          body: {
            principalType,
            principalId: principal?.id ?? picked?.id ?? "",
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
  const superTaken = {
    ids: new Set(["super"]),
    reason: "Admin everywhere already; takes no grants.",
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
        <div className="grid gap-3">
          <RadioChoice
            legend="Give to"
            value={principalType}
            onChange={(t) => {
              setPrincipalType(t);
              setPicked(null);
            }}
            options={[
              { value: "user", label: "A user" },
              { value: "group", label: "A group", hint: "Every member gets the role." },
            ]}
          />
          {principalType === "user" ? (
            <UserPicker
              label="User"
              value={picked}
              onChange={setPicked}
              error={fieldError(create.error, "principalId")}
            />
          ) : (
            <GroupPicker
              label="Group"
              value={picked}
              onChange={setPicked}
              taken={superTaken}
              error={fieldError(create.error, "principalId")}
            />
          )}
        </div>
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
            <Field
              label="Resource"
              hint="Its type and id, for example site:site_01abc."
              error={fieldError(create.error, "scopeId")}
            >
              <Input
                value={resource}
                onChange={(e) => setResource(e.target.value)}
                maxLength={140}
                autoComplete="off"
                className="font-mono"
              />
            </Field>
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
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" busy={create.isPending}>
          Save grant
        </Button>
      </div>
    </form>
  );
}

/** How a user's role somewhere is worked out, in a few lines. */
export function RolesExplainer({ className }: { className?: string }) {
  return (
    <Card title="How roles combine" className={className}>
      <ul className="grid list-disc gap-x-8 gap-y-1.5 pl-5 text-sm lg:grid-cols-2 2xl:grid-cols-1">
        <li>
          Roles, from least to most: <RoleBadge value="read" /> <RoleBadge value="operate" />{" "}
          <RoleBadge value="admin" />. Without any grant a user has no access.
        </li>
        <li>
          A user’s role comes from their own grants and from their groups’ grants; the highest of
          these wins.
        </li>
        <li>
          For each of them the most specific grant counts: a resource grant before an account grant,
          an account grant before a global one. Where there is none, the wider one is inherited.
        </li>
        <li>
          An explicit <strong>none</strong> is a grant too: it stops that user or group from
          inheriting a wider role there. Another group of theirs can still give a role.
        </li>
        <li>
          Members of the built-in <strong>super</strong> group are admin everywhere, whatever the
          grants say; the group itself takes no grants.
        </li>
      </ul>
    </Card>
  );
}
