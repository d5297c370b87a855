// System users on nodes (issue 19, docs/hosting.md) are resources of their account: a grant
// on the user, else on its account, decides. The account's readers see them (never a
// password: only whether one is set), its admins create, change and delete them.
import { type Decision, holds } from "../decision.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface SystemUserRef {
  id: string;
  account_id: string;
}

const target = (u: SystemUserRef): Target => ({
  kind: "resource",
  type: "system-user",
  id: u.id,
  accountId: u.account_id,
});

export const systemUsers = {
  /** see a system user; refused means "does not exist" */
  canRead: (ctx: Ctx, u: SystemUserRef): Decision => holds(ctx, target(u), "read"),
  /** change its shell, FTP, keys, password; delete it */
  canManage: (ctx: Ctx, u: SystemUserRef): Decision => holds(ctx, target(u), "admin"),
  /** create system users of an account on a node */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** see an account's system users */
  canListIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
};
