// CMS sites (issue 17) are resources of an account: a grant on the site (`cms_site:<id>`,
// a user's or a group's, `none` included), else on its account, decides (the seed's per-site
// roles with inherit). Readers see a site, operators (self-service) diagnose and refresh it,
// admins update and remove it; an account's admins add sites to it.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface CmsSiteRef {
  id: string;
  account_id: string;
}

const EXTENSION_COLUMNS = {
  account: "cms_extensions.account_id",
  resource: { type: "cms_site", id: "cms_extensions.site_id" },
};

const target = (site: CmsSiteRef): Target => ({
  kind: "resource",
  type: "cms_site",
  id: site.id,
  accountId: site.account_id,
});

const on = (role: "read" | "operate" | "admin") => (ctx: Ctx, site: CmsSiteRef) =>
  holds(ctx, target(site), role);

export const cmsSites = {
  /** see a site, its versions and diagnosis; refused means "does not exist" */
  canRead: on("read"),
  /** diagnose the connection and refresh the versions (reads the site, changes nothing there) */
  canRefresh: on("operate"),
  /** the seed's self-service tools: take backups, run the file change scanner, unblock IPs */
  canUseTools: on("operate"),
  /** apply an update on the site, or remove it from the fleet */
  canManage: on("admin"),
  /** list an account's sites (each shown when canRead allows it) */
  canList: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** refresh every site of an account at once (its operators) */
  canRefreshAll: (ctx: Ctx, accountId: string): Decision =>
    holds(ctx, account(accountId), "operate"),
  /** the fleet's extension rows a list shows (a grant on a site decides over its account's), and the walks covering them */
  extensionsScope: (ctx: Ctx) => ({
    where: listFilter(ctx, "read", EXTENSION_COLUMNS),
    walks: listCover(ctx, "read", EXTENSION_COLUMNS),
  }),
  /** add a site to an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
};
