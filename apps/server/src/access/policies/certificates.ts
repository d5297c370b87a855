// A site's certificate is the site's: a grant on the site, else on its account, decides.
import { type Decision, holds } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx } from "../types.ts";
import { SYSTEM } from "./common.ts";
import { type SiteRef, sites } from "./sites.ts";

export interface CertificateRef {
  site_id: string;
  account_id: string;
}

const siteOf = (c: CertificateRef): SiteRef => ({ id: c.site_id, account_id: c.account_id });
const COLUMNS = {
  account: "certificates.account_id",
  resource: { type: "site", id: "certificates.site_id" },
};

export const certificates = {
  /** see a certificate: read on its site; refused means "does not exist" */
  canRead: (ctx: Ctx, c: CertificateRef): Decision => sites.canRead(ctx, siteOf(c)),
  /** ask for, change or renew a site's certificate: admin on the site */
  canManage: (ctx: Ctx, c: CertificateRef): Decision => sites.canManage(ctx, siteOf(c)),
  /** see and renew the panel's own certificate (STEWARD_TLS_DOMAIN): the installation's */
  canManagePanel: (ctx: Ctx): Decision => holds(ctx, SYSTEM, "system"),
  /** the certificates a list shows */
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  /** index walks covering listScope's rows (accounts and sites); null for all */
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
