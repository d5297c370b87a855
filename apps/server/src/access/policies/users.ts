// Users: the super group manages them; a person reads and renames themself.
import { roleRank } from "@steward/contracts";
import { anyOf, type Decision, decided, holds } from "../decision.ts";
import { scopeCap } from "../policy.ts";
import type { Ctx } from "../types.ts";
import { GLOBAL, SYSTEM } from "./common.ts";

const isSelf = (ctx: Ctx, userId: string) =>
  ctx.actor !== null && ctx.actor.type !== "system" && ctx.actor.userId === userId;

export const users = {
  /** list, create, disable and enable users, set passwords, reset second factors */
  canManage: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** read a user: oneself (any API key may read its own user) or the super group */
  canRead: (ctx: Ctx, userId: string): Decision =>
    anyOf(decided(isSelf(ctx, userId), ""), users.canManage(ctx)),
  /** change a user's profile: oneself with a session or a key not narrowed below admin */
  canEdit(ctx: Ctx, userId: string): Decision {
    const actor = ctx.actor;
    const unnarrowed =
      actor !== null &&
      (actor.type === "user" || scopeCap(actor.scopes, GLOBAL) === roleRank("admin"));
    return anyOf(decided(isSelf(ctx, userId) && unnarrowed, ""), users.canManage(ctx));
  },
};
