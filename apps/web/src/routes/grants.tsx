// Grants: who has which role where, filtered by principal type, scope and role (kept in the
// URL); give a role, remove one; and how roles combine.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
import { Select } from "../components/ui/input.tsx";
import { useMe } from "../lib/session.ts";
import { useUrlFilters } from "../lib/url-search.ts";
import { GrantDialog } from "./access-grant-dialog.tsx";
import { useGrantList } from "./access-grants.tsx";
import {
  type GrantFilter,
  type PrincipalType,
  ROLES,
  type Role,
  RolesExplainer,
  type ScopeType,
} from "./access-roles.tsx";

const route = getRouteApi("/app/grants");

const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined =>
  values.find((x) => x === v);

export function GrantsPage() {
  const search = route.useSearch();
  const filters = useUrlFilters("/grants", search);
  const me = useMe();
  const [creating, setCreating] = useState(false);
  const filter: GrantFilter = {
    principalType: oneOf<PrincipalType>(["user", "group"], search.principalType),
    scopeType: oneOf<ScopeType>(["global", "account", "resource"], search.scopeType),
    role: oneOf<Role>(ROLES, search.role),
  };
  return (
    <>
      <ListPage
        title="Grants"
        description="Who has which role where. No grant means inherit; an explicit none blocks what would be inherited."
        actions={
          me.can.manageGrants ? (
            <AddButton label="New grant" onClick={() => setCreating(true)} />
          ) : undefined
        }
        aside={<RolesExplainer />}
        filters={{
          ...filters,
          controls: (
            <>
              <Select
                aria-label="Principal type"
                className="w-48"
                value={filter.principalType ?? ""}
                onChange={(e) => filters.set({ principalType: e.target.value || undefined })}
              >
                <option value="">Users and groups</option>
                <option value="user">Users</option>
                <option value="group">Groups</option>
              </Select>
              <Select
                aria-label="Scope"
                className="w-40"
                value={filter.scopeType ?? ""}
                onChange={(e) => filters.set({ scopeType: e.target.value || undefined })}
              >
                <option value="">All scopes</option>
                <option value="global">Global</option>
                <option value="account">Accounts</option>
                <option value="resource">Resources</option>
              </Select>
              <Select
                aria-label="Role"
                className="w-44"
                value={filter.role ?? ""}
                onChange={(e) => filters.set({ role: e.target.value || undefined })}
              >
                <option value="">All roles</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r === "none" ? "Explicit none" : r}
                  </option>
                ))}
              </Select>
            </>
          ),
        }}
        label="Grants"
        {...useGrantList({ filter })}
        empty={
          <EmptyState title="No grants yet.">
            Only super users have access for now. Give a user or a group a role with “New grant”.
          </EmptyState>
        }
      />
      <GrantDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
