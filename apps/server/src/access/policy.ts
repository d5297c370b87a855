// The one authorization function. The named policies (policies/) ask here and services ask
// them; sql-filter.ts expresses exactly these rules in SQL for lists.
import { type ApiKeyScope, type Role, roleRank } from "@steward/contracts";
import type { Actor, GrantRow, Target } from "./types.ts";

const ADMIN = 3;

/** The highest role the API key's scopes allow on a target (3 when not narrowed). */
export function scopeCap(scopes: ApiKeyScope[] | null, target: Target): number {
  if (scopes === null || scopes.includes("*")) return ADMIN;
  let cap = 0;
  for (const s of scopes) {
    if (s === "read" || s === "operate" || s === "admin") {
      cap = Math.max(cap, roleRank(s));
    } else if (s.startsWith("account:")) {
      const [, accountId, role] = s.split(":");
      const inside =
        (target.kind === "account" || target.kind === "resource") && target.accountId === accountId;
      if (inside) cap = Math.max(cap, roleRank(role as Role));
    }
  }
  return cap;
}

/** The principals an actor is: itself and each of its groups. */
export function principalsOf(actor: Pick<Actor, "userId" | "groupIds">) {
  return [
    { type: "user" as const, id: actor.userId },
    ...actor.groupIds.map((id) => ({ type: "group" as const, id })),
  ];
}

/** Scope ids from most to least specific for a target. */
function scopesFor(target: Target): { type: GrantRow["scope_type"]; id: string }[] {
  const out: { type: GrantRow["scope_type"]; id: string }[] = [];
  if (target.kind === "resource") out.push({ type: "resource", id: `${target.type}:${target.id}` });
  if (target.kind === "resource" || target.kind === "account") {
    out.push({ type: "account", id: target.accountId });
  }
  out.push({ type: "global", id: "" });
  return out;
}

/** Effective role rank of an actor on a target, given all grants of its principals. */
export function effectiveRank(actor: Actor, grants: GrantRow[], target: Target): number {
  const cap = scopeCap(actor.scopes, target);
  if (target.kind === "system") return actor.isSuper && cap === ADMIN ? ADMIN : 0;
  if (actor.isSuper) return cap;
  let best = 0;
  for (const p of principalsOf(actor)) {
    const mine = grants.filter((g) => g.principal_type === p.type && g.principal_id === p.id);
    for (const scope of scopesFor(target)) {
      const g = mine.find((x) => x.scope_type === scope.type && x.scope_id === scope.id);
      if (g) {
        best = Math.max(best, g.role_rank);
        break; // most specific grant wins for this principal; explicit none blocks inheritance
      }
    }
  }
  return Math.min(best, cap);
}

export const allows = (actor: Actor, grants: GrantRow[], target: Target, need: Role) =>
  effectiveRank(actor, grants, target) >= roleRank(need) && roleRank(need) > 0;
