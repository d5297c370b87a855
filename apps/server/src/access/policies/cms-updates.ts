// Update policies of the CMS fleet (issue 17): an account's defaults are read by its readers
// and set by its admins; a site's own policies follow the site (cms-sites.ts: read to see
// them, admin to set them, as to update the site).
import { type Decision, holds } from "../decision.ts";
import type { Ctx } from "../types.ts";
import { account } from "./common.ts";

export const cmsUpdates = {
  /** list an account's policies (a site's own shown when the site may be read) */
  canReadDefaults: (ctx: Ctx, accountId: string): Decision =>
    holds(ctx, account(accountId), "read"),
  /** set or remove the account's default policies */
  canSetDefaults: (ctx: Ctx, accountId: string): Decision =>
    holds(ctx, account(accountId), "admin"),
};
