import { type Role, roleRank } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { AppError, conflict, forbidden } from "../lib/errors.ts";
import * as grants from "../modules/grants/repo.ts";
import * as groups from "../modules/groups/repo.ts";
import { allows, principalsOf } from "./policy.ts";
import { type FilterColumns, visibleWhere } from "./sql-filter.ts";
import type { Actor, Ctx, GrantRow, Target } from "./types.ts";

export const SUPER_GROUP = "super";

/** Groups of a user and whether it is super. */
export async function membershipOf(db: Kysely<Database>, userId: string) {
  const groupIds = await groups.groupIdsOf(db, userId);
  return { groupIds, isSuper: groupIds.includes(SUPER_GROUP) };
}

/** Refuses a change that would leave no enabled member of the super group but `userId`. */
export async function keepAnotherSuper(db: Kysely<Database>, userId: string) {
  const other = await groups.anotherEnabledMember(db, SUPER_GROUP, userId);
  if (!other) throw conflict("this is the last enabled super user; make another one first");
}

/** All grants held by the actor's principals (itself and its groups). */
export async function grantsOf(db: Kysely<Database>, actor: Actor): Promise<GrantRow[]> {
  if (actor.type === "system") return [];
  return grants.grantsOfPrincipals(db, principalsOf(actor));
}

function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "sign in or send an API key");
  return ctx.actor;
}

/** Throws FORBIDDEN unless the actor holds `role` on the target. */
export function authorize(ctx: Ctx, target: Target, role: Role | "system"): Actor {
  const actor = requireActor(ctx);
  if (role === "system") {
    if (!allows(actor, ctx.grants, { kind: "system" }, "admin")) {
      throw forbidden("this needs a member of the super group");
    }
    return actor;
  }
  if (!allows(actor, ctx.grants, target, role)) {
    throw forbidden(`this needs the ${role} role on ${describe(target)}`);
  }
  return actor;
}

/** A WHERE condition for list queries: rows the actor holds at least `role` on. */
export function listFilter(ctx: Ctx, role: Role, cols: FilterColumns) {
  return visibleWhere(requireActor(ctx), ctx.grants, role, cols);
}

export const atLeast = (rank: number, role: Role) => rank >= roleRank(role);

function describe(t: Target): string {
  if (t.kind === "account") return `account ${t.accountId}`;
  if (t.kind === "resource") return `${t.type} ${t.id}`;
  return "everything";
}
