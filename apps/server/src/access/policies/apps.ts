// Apps (containers, docs/apps.md) are resources of an account: a grant on the app, else on
// its account, decides. A node's container engine is shared by every account with apps on
// it: what acts on the whole engine (its containers, disk usage, prune) is for super users.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account, SYSTEM } from "./common.ts";

export interface AppRef {
  id: string;
  account_id: string;
}

const COLUMNS = { account: "apps.account_id", resource: { type: "app", id: "apps.id" } };

const target = (app: AppRef): Target => ({
  kind: "resource",
  type: "app",
  id: app.id,
  accountId: app.account_id,
});

export const apps = {
  /** see an app, its containers, logs and stats; refused means "does not exist" */
  canRead: (ctx: Ctx, app: AppRef): Decision => holds(ctx, target(app), "read"),
  /** deploy, start, stop, restart, remove */
  canManage: (ctx: Ctx, app: AppRef): Decision => holds(ctx, target(app), "admin"),
  /** create an app in an account (and list the account's apps: canRead on the account) */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** see an account's apps */
  canListIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** the apps a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (its accounts and apps); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
  /** a node's whole engine: every container, disk usage, prune */
  canUseEngine: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
};
