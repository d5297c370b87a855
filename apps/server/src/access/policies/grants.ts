// Grants: account admins give roles on their account; global and resource grants, and every
// list across scopes, are the super group's.
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export const grants = {
  /** set, list or remove grants on a scope */
  canManage: (ctx: Ctx, scopeType: string, scopeId: string | null): Decision =>
    scopeType === "account" && scopeId
      ? holds(ctx, account(scopeId), "admin")
      : holds(ctx, SYSTEM, "system"),
};
