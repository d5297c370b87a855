import { type Role, roleRank } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { conflict } from "../lib/errors.ts";
import { enforce, holds, requireActor } from "./decision.ts";
import { principalsOf } from "./policy.ts";
import { type FilterColumns, visibleWhere } from "./sql-filter.ts";
import type { Actor, Ctx, GrantRow, Target } from "./types.ts";

export const SUPER_GROUP = "super";

/** Groups of a user and whether it is super. */
export async function membershipOf(db: Kysely<Database>, userId: string) {
  const rows = await db
    .selectFrom("group_members")
    .select("group_id")
    .where("user_id", "=", userId)
    .execute();
  const groupIds = rows.map((r) => r.group_id);
  return { groupIds, isSuper: groupIds.includes(SUPER_GROUP) };
}

/** Refuses a change that would leave no enabled member of the super group but `userId`. */
export async function keepAnotherSuper(db: Kysely<Database>, userId: string) {
  const other = await db
    .selectFrom("group_members as m")
    .innerJoin("auth_user as u", "u.id", "m.user_id")
    .select("u.id")
    .where("m.group_id", "=", SUPER_GROUP)
    .where("u.disabled", "=", false)
    .where("u.id", "!=", userId)
    .executeTakeFirst();
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
  const ps = principalsOf(actor);
  return db
    .selectFrom("grants")
    .select(["principal_type", "principal_id", "scope_type", "scope_id", "role_rank"])
    .where((eb) =>
      eb.or(
        ps.map((p) => eb.and([eb("principal_type", "=", p.type), eb("principal_id", "=", p.id)])),
      ),
    )
    .execute();
}

/** Throws FORBIDDEN unless the actor holds `role` on the target. */
export const authorize = (ctx: Ctx, target: Target, role: Role | "system"): Actor =>
  enforce(ctx, holds(ctx, target, role));

/** A WHERE condition for list queries: rows the actor holds at least `role` on. */
export function listFilter(ctx: Ctx, role: Role, cols: FilterColumns) {
  return visibleWhere(requireActor(ctx), ctx.grants, role, cols);
}

export const atLeast = (rank: number, role: Role) => rank >= roleRank(role);
