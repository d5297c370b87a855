// CMS sites (issue 17) are resources of an account: its readers see them, its operators
// (self-service) refresh and diagnose them, its admins add, update and remove them.
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { account } from "./common.ts";

export interface CmsSiteRef {
  account_id: string;
}

const on = (role: "read" | "operate" | "admin") => (ctx: Ctx, site: CmsSiteRef) =>
  holds(ctx, account(site.account_id), role);

export const cmsSites = {
  /** see a site, its versions and diagnosis; refused means "does not exist" */
  canRead: on("read"),
  /** diagnose the connection and refresh the versions (reads the site, changes nothing there) */
  canRefresh: on("operate"),
  /** apply an update on the site, or remove it from the fleet */
  canManage: on("admin"),
  /** list an account's sites */
  canList: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** add a site to an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
};
