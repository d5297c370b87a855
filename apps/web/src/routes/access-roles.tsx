// Roles as the access pages show them: the grant types, role badges with what each role
// means, the choice of a role in forms, and how roles combine.
import { useId } from "react";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { Card } from "../components/ui/card.tsx";
import { describedBy, FieldNotes } from "../components/ui/field.tsx";
import type { Item } from "../lib/api.ts";
import type { paths } from "../lib/api-schema.ts";
import { cn } from "../lib/cn.ts";

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
    <fieldset className="grid gap-1.5" aria-describedby={describedBy(name, undefined, error)}>
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
      <FieldNotes id={name} error={error} />
    </fieldset>
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
