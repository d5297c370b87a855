// API keys: one's own, anyone's for the super group; a narrowed key makes no keys.
import { anyOf, type Decision, decided } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { users } from "./users.ts";

const owns = (ctx: Ctx, ownerId: string) => ctx.actor !== null && ctx.actor.userId === ownerId;

export const apiKeys = {
  /** list and create the keys of `ownerId` */
  canManage: (ctx: Ctx, ownerId: string): Decision =>
    anyOf(decided(owns(ctx, ownerId), ""), users.canManage(ctx)),
  /** know that a key of `ownerId` exists (to revoke it): its owner or a super user */
  canSee: (ctx: Ctx, ownerId: string): Decision =>
    decided(owns(ctx, ownerId) || ctx.actor?.isSuper === true, "this is not your API key"),
  /** create or revoke keys at all: scopes must not be escaped through a new key */
  canIssue: (ctx: Ctx, verb: "create" | "revoke" = "create"): Decision =>
    decided(
      ctx.actor?.type !== "api_key" || (ctx.actor.scopes ?? []).includes("*"),
      `an API key with narrowed scopes cannot ${verb} API keys`,
    ),
};
