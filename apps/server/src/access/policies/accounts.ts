// Accounts: readers see one, its admins change it and its members; the super group makes and
// deletes them.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export const accounts = {
  /** create an account */
  canCreate: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** delete an account */
  canDelete: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** see it and its members; refused means "does not exist" */
  canRead: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** rename it, add and remove its members */
  canManage: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** the accounts a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", { account: "accounts.id" }),
  /** index walks covering listScope's rows (one per account); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", { account: "accounts.id" }),
};
