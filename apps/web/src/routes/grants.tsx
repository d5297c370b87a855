// Grants: who has which role where, filtered by principal type, scope and role (kept in the
// URL); give a role, remove one; and how roles combine.
import { getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EnumSelect } from "../components/enum-select.tsx";
import { ListPage } from "../components/list-page.tsx";
import { EmptyState } from "../components/page.tsx";
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
          <AddButton label="New grant" can="manageGrants" onClick={() => setCreating(true)} />
        }
        aside={<RolesExplainer />}
        filters={{
          ...filters,
          controls: (
            <>
              <EnumSelect
                label="Principal type"
                allLabel="Users and groups"
                className="w-48"
                options={[
                  { value: "user", label: "Users" },
                  { value: "group", label: "Groups" },
                ]}
                value={filter.principalType}
                onChange={(principalType) => filters.set({ principalType })}
              />
              <EnumSelect
                label="Scope"
                allLabel="All scopes"
                options={[
                  { value: "global", label: "Global" },
                  { value: "account", label: "Accounts" },
                  { value: "resource", label: "Resources" },
                ]}
                value={filter.scopeType}
                onChange={(scopeType) => filters.set({ scopeType })}
              />
              <EnumSelect
                label="Role"
                allLabel="All roles"
                className="w-44"
                options={ROLES.map((r) => ({
                  value: r,
                  label: r === "none" ? "Explicit none" : r,
                }))}
                value={filter.role}
                onChange={(role) => filters.set({ role })}
              />
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
