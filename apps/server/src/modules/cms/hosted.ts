// A CMS site hosted by Steward (docs/cms.md#a-steward-hosted-site): linked to the Steward site
// serving it and to the backup plan of that site's files and database, whose run is the upgrade
// task's restore point (hosted-backup.ts). Both must be of the CMS site's account and visible to
// the caller; anything else — another account's, an unknown id — is the same 400 naming the
// field, saying nothing of whose it is.
import { backups } from "../../access/policies/backups.ts";
import { sites } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import { invalid } from "../../lib/errors.ts";
import { findPlan, idsOf } from "../backups/plans-repo.ts";
import { findSources } from "../backups/sources-repo.ts";
import { findSite } from "../sites/repo.ts";

export interface HostedLink {
  site: string | null;
  backupPlan: string | null;
}

/**
 * Checks a link asked for a CMS site of `accountId`: the site a PHP site the caller manages, the
 * plan one they may run, reading a directory of the site's node and a database. Answers the
 * columns to write (both null: unlinked).
 */
export async function checkLink(db: Db, ctx: Ctx, accountId: string, link: HostedLink) {
  if (link.site === null || link.backupPlan === null)
    return { site_id: null, backup_plan_id: null };
  const site = await findSite(db.db, link.site);
  if (!site || site.account_id !== accountId || !sites.canRead(ctx, site).allowed)
    throw invalid("site", "no such site in this account");
  if (!sites.canManage(ctx, site).allowed)
    throw invalid("site", "linking a site needs its admin: its backup is restored on updates");
  if (site.kind !== "php") throw invalid("site", "a WordPress or Joomla site is a PHP site");
  const plan = await findPlan(db.db, link.backupPlan);
  if (!plan || plan.account_id !== accountId || !backups.canRead(ctx, plan).allowed)
    throw invalid("backupPlan", "no such backup plan in this account");
  if (!backups.canRun(ctx, plan).allowed)
    throw invalid("backupPlan", "linking a plan needs its operator: the updates run it");
  if (plan.encryption === "recipients")
    throw invalid(
      "backupPlan",
      "the plan is encrypted for recipients: the panel cannot restore it",
    );
  const sources = await findSources(db.db, idsOf(plan.source_ids));
  if (!sources.some((s) => s.kind === "files" && s.node_id === site.node_id))
    throw invalid("backupPlan", "the plan backs up no directory of the site's node");
  if (!sources.some((s) => s.kind === "database" || s.kind === "server"))
    throw invalid("backupPlan", "the plan backs up no database");
  return { site_id: site.id, backup_plan_id: plan.id };
}
