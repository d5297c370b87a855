// Grants as the access pages show them: where a grant applies, who holds it, and who holds
// a role where (a paged table with a button to remove each grant).
import { Link } from "@tanstack/react-router";
import { Globe, UserRound, UsersRound } from "lucide-react";
import type { ReactNode } from "react";
import { ActionsWithError, ConfirmButton } from "../components/confirm-button.tsx";
import { type Column, DataTable } from "../components/data-table.tsx";
import { RecordLink } from "../components/record-link.tsx";
import { api, unwrap } from "../lib/api.ts";
import { formatDateTime } from "../lib/format.ts";
import { useApiMutation } from "../lib/mutation.ts";
import { usePaged } from "../lib/paging.ts";
import { type Grant, type GrantFilter, type PrincipalType, RoleBadge } from "./access-roles.tsx";

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
        <RecordLink to="/accounts/$id" id={grant.scopeId} className="wrap-anywhere">
          {grant.scopeName ?? grant.scopeId}
        </RecordLink>
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
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/grants/{id}", { params: { path: { id: grant.id } } })),
    { invalidate: [["grants"], ["account"]] },
  );
  return (
    <ActionsWithError error={remove.error}>
      <ConfirmButton
        size="sm"
        variant="secondary"
        mutation={remove}
        aria-label={`Remove the grant of ${grant.principalName} on ${scopeText(grant)}`}
        confirm={{
          title: "Remove this grant?",
          description: (
            <span className="wrap-anywhere">
              {grant.role === "none"
                ? `${grant.principalName} no longer has an explicit none on ${scopeText(grant)}: they inherit again what wider grants give them.`
                : `${grant.principalName} loses the ${grant.role} role on ${scopeText(grant)}. What they inherit from their groups and wider scopes stays.`}
            </span>
          ),
          confirmLabel: "Remove grant",
        }}
      >
        Remove
      </ConfirmButton>
    </ActionsWithError>
  );
}

/**
 * The grants matching a filter, a page at a time. `forUser` (on a user's page) says for each
 * grant whether it is the user's own or comes through a group.
 */
interface GrantListOptions {
  filter: GrantFilter;
  hidePrincipal?: boolean;
  hideScope?: boolean;
  forUser?: string;
}

/** The grants matching the filter, a page at a time, with their columns and row key. */
export function useGrantList({ filter, hidePrincipal, hideScope, forUser }: GrantListOptions) {
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
  return { paged, columns, rowKey: (g: Grant) => g.id };
}

export function GrantsTable({
  label,
  empty,
  ...options
}: GrantListOptions & { label: string; empty: ReactNode }) {
  return <DataTable label={label} empty={empty} {...useGrantList(options)} />;
}
