// Sites are resources of an account: a grant on the site, else on its account, decides.
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface SiteRef {
  id: string;
  account_id: string;
}

const target = (site: SiteRef): Target => ({
  kind: "resource",
  type: "site",
  id: site.id,
  accountId: site.account_id,
});

const COLUMNS = { account: "sites.account_id", resource: { type: "site", id: "sites.id" } };

export const sites = {
  /** see a site; refused means "does not exist" */
  canRead: (ctx: Ctx, site: SiteRef): Decision => holds(ctx, target(site), "read"),
  /** change, suspend, resume, delete a site */
  canManage: (ctx: Ctx, site: SiteRef): Decision => holds(ctx, target(site), "admin"),
  /** create a site in an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** create a site in some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  /** the sites a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (its accounts and sites); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
