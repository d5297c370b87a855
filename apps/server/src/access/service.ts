import type { Role } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { conflict } from "../lib/errors.ts";
import * as grants from "../modules/grants/repo.ts";
import * as groups from "../modules/groups/repo.ts";
import { enforce, holds, requireActor } from "./decision.ts";
import { principalsOf } from "./policy.ts";

import { type FilterColumns, visibleCover, visibleWhere } from "./sql-filter.ts";
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

/** Refuses disabling the last enabled super user. */
export async function keepSuperOnDisable(
  db: Kysely<Database>,
  user: { id: string; super: boolean; disabled: boolean },
) {
  if (user.super && !user.disabled) await keepAnotherSuper(db, user.id);
}

/** All grants held by the actor's principals (itself and its groups). */
export async function grantsOf(db: Kysely<Database>, actor: Actor): Promise<GrantRow[]> {
  if (actor.type === "system") return [];
  return grants.grantsOfPrincipals(db, principalsOf(actor));
}

/** Throws FORBIDDEN unless the actor holds `role` on the target. */
export const authorize = (ctx: Ctx, target: Target, role: Role | "system"): Actor =>
  enforce(ctx, holds(ctx, target, role));

/** A WHERE condition for list queries: rows the actor holds at least `role` on. */
export function listFilter(ctx: Ctx, role: Role, cols: FilterColumns) {
  return visibleWhere(requireActor(ctx), ctx.grants, role, cols);
}

/** The index walks that cover listFilter's rows (sql-filter.ts, visibleCover); null for all. */
export function listCover(ctx: Ctx, role: Role, cols: FilterColumns) {
  return visibleCover(requireActor(ctx), ctx.grants, role, cols);
}
