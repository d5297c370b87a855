// Grants: who has which role where, filtered by principal type, scope and role; give a role,
// remove one; and how roles combine.
import { useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { Select } from "../components/ui/input.tsx";
import { GrantDialog } from "./access-grant-dialog.tsx";
import { GrantsTable } from "./access-grants.tsx";
import {
  type GrantFilter,
  type PrincipalType,
  ROLES,
  type Role,
  RolesExplainer,
  type ScopeType,
} from "./access-roles.tsx";

export function GrantsPage() {
  const [principalType, setPrincipalType] = useState<"" | PrincipalType>("");
  const [scopeType, setScopeType] = useState<"" | ScopeType>("");
  const [role, setRole] = useState<"" | Role>("");
  const [creating, setCreating] = useState(false);
  const filter: GrantFilter = {
    principalType: principalType || undefined,
    scopeType: scopeType || undefined,
    role: role || undefined,
  };
  const filtered = Boolean(principalType || scopeType || role);
  return (
    <>
      <PageHeader
        title="Grants"
        description="Who has which role where. No grant means inherit; an explicit none blocks what would be inherited."
        actions={<AddButton label="New grant" onClick={() => setCreating(true)} />}
      />
      <div className="grid gap-6 2xl:grid-cols-[1fr_22rem] 2xl:items-start">
        <RolesExplainer className="2xl:order-last" />
        <div className="grid min-w-0 gap-4">
          <div className="flex flex-wrap gap-3">
            <Select
              aria-label="Principal type"
              className="w-48"
              value={principalType}
              onChange={(e) => setPrincipalType(e.target.value as "" | PrincipalType)}
            >
              <option value="">Users and groups</option>
              <option value="user">Users</option>
              <option value="group">Groups</option>
            </Select>
            <Select
              aria-label="Scope"
              className="w-40"
              value={scopeType}
              onChange={(e) => setScopeType(e.target.value as "" | ScopeType)}
            >
              <option value="">All scopes</option>
              <option value="global">Global</option>
              <option value="account">Accounts</option>
              <option value="resource">Resources</option>
            </Select>
            <Select
              aria-label="Role"
              className="w-44"
              value={role}
              onChange={(e) => setRole(e.target.value as "" | Role)}
            >
              <option value="">All roles</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r === "none" ? "Explicit none" : r}
                </option>
              ))}
            </Select>
          </div>
          <GrantsTable
            label="Grants"
            filter={filter}
            empty={
              <EmptyState title={filtered ? "No grant matches these filters." : "No grants yet."}>
                {filtered
                  ? "Change the filters to see more."
                  : "Only super users have access for now. Give a user or a group a role with “New grant”."}
              </EmptyState>
            }
          />
        </div>
      </div>
      <GrantDialog open={creating} onOpenChange={setCreating} />
    </>
  );
}
