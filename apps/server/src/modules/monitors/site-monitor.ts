// A site's default monitor (issue 12: "Sites get an HTTP monitor by default"): an HTTP check of
// the site's primary domain, named after it, made, retargeted and removed by the sites service
// in the site's own transaction; the site's deletion removes it (migration 028's cascade). Its
// URL is http:// (a redirect to HTTPS, once the certificate is there, is followed); the
// outbound policy judges it at every check, as any monitor's.
import { monitorCreate } from "@steward/contracts/monitors";
import type { Kysely } from "kysely";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Database } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import * as repo from "./repo.ts";

export interface SiteOfMonitor {
  id: string;
  account_id: string;
  primary_domain: string;
}

export const siteMonitorUrl = (domain: string) => `http://${domain}/`;
/** A monitor's name is at most 100 characters; a domain up to 253. */
const nameOf = (domain: string) => domain.slice(0, 100);

/** Makes the site's monitor unless it has one. */
export async function addSiteMonitor(trx: Kysely<Database>, ctx: Ctx, site: SiteOfMonitor) {
  if (await repo.findSiteMonitor(trx, site.id)) return;
  const id = newId("mon");
  const input = monitorCreate.parse({
    name: nameOf(site.primary_domain),
    account: site.account_id,
    settings: { kind: "http", url: siteMonitorUrl(site.primary_domain) },
  });
  const row = repo.newMonitorRow(id, site.account_id, input, { now: Date.now(), siteId: site.id });
  await repo.insertMonitor(trx, row);
  const diff = { after: { ...input, site: site.id } };
  await recordAudit(trx, ctx, changeOf("monitor", id, "create", diff, site.account_id));
}

/** Removes the site's monitor, if it has one. */
export async function removeSiteMonitor(trx: Kysely<Database>, ctx: Ctx, siteId: string) {
  const row = await repo.findSiteMonitor(trx, siteId);
  if (!row) return;
  await repo.deleteMonitor(trx, row.id);
  const diff = { before: repo.toMonitor(row) };
  await recordAudit(trx, ctx, changeOf("monitor", row.id, "delete", diff, row.account_id));
}

/**
 * The site's primary domain changed: its monitor follows, when it still checks the default
 * URL of the old one under the old name (one changed by hand is left as it is).
 */
export async function retargetSiteMonitor(
  trx: Kysely<Database>,
  site: SiteOfMonitor,
  before: string,
) {
  const row = await repo.findSiteMonitor(trx, site.id);
  if (!row || site.primary_domain === before) return;
  const settings = repo.settingsOf(row);
  if (
    settings.kind !== "http" ||
    settings.url !== siteMonitorUrl(before) ||
    row.name !== nameOf(before)
  )
    return;
  const url = siteMonitorUrl(site.primary_domain);
  await repo.updateMonitor(trx, row.id, {
    name: nameOf(site.primary_domain),
    settings: JSON.stringify({ ...settings, url }),
    updated_at: Date.now(),
  });
}
