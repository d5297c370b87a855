// Builders of actors and grants for the access tests.
import type { ApiKeyScope } from "@steward/contracts";
import type { Actor, GrantRow } from "../access/types.ts";

export function actor(opts: {
  userId?: string;
  groupIds?: string[];
  isSuper?: boolean;
  scopes?: ApiKeyScope[] | null;
}): Actor {
  const scopes = opts.scopes ?? null;
  return {
    type: scopes ? "api_key" : "user",
    userId: opts.userId ?? "u1",
    email: "u1@example.com",
    name: "U1",
    keyId: scopes ? "key1" : null,
    scopes,
    groupIds: opts.groupIds ?? [],
    isSuper: opts.isSuper ?? false,
    sessionId: null,
  };
}

/** A grant: `user:u1` or `group:g1` holds `rank` on "global", "account:<id>" or "<type>:<id>". */
export function grant(principal: string, scope: string, rank: number): GrantRow {
  const [principalType, principalId = ""] = principal.split(":");
  const base = { principal_type: principalType as "user" | "group", principal_id: principalId };
  if (scope === "global") return { ...base, scope_type: "global", scope_id: "", role_rank: rank };
  if (scope.startsWith("account:")) {
    return { ...base, scope_type: "account", scope_id: scope.slice(8), role_rank: rank };
  }
  return { ...base, scope_type: "resource", scope_id: scope, role_rank: rank };
}
