// The site a certificate change is for, as the caller may manage it: not found when the caller
// cannot see it (nothing said about other accounts' sites), forbidden when it may only read it,
// a conflict while it is being deleted.
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { certificates } from "../../access/policies/certificates.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { findSite } from "../sites/repo.ts";

export async function siteToManage(k: Kysely<Database>, ctx: Ctx, siteId: string) {
  const site = await findSite(k, siteId);
  const ref = site && { site_id: site.id, account_id: site.account_id };
  if (!site || !ref || !certificates.canRead(ctx, ref).allowed) throw notFound(`site ${siteId}`);
  enforce(ctx, certificates.canManage(ctx, ref));
  if (site.status === "deleting") throw conflict(`site ${site.id} is being deleted`, "site");
  return site;
}
