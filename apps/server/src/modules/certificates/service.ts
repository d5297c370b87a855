// Certificates: a site's certificate is asked for (options: key type, HSTS) or uploaded
// (upload.ts), listed in expiry order, and renewed on demand; each change writes the row, its audit event and the task
// ordering it in one transaction. Access is the site's (policies/certificates.ts).
import type {
  CertificateRequest,
  CertificateUpload,
  certificateListQuery,
} from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { type CertificateRef, certificates } from "../../access/policies/certificates.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { Dns01Providers } from "./dns01.ts";
import { certificateNames, chooseChallenge } from "./names.ts";
import { enqueuePanel } from "./panel-scan.ts";
import { describePanel, readPanelState } from "./panel-state.ts";
import * as repo from "./repo.ts";
import { siteToManage } from "./site-access.ts";
import { CERTIFICATE_ISSUE } from "./tasks.ts";
import { type UploadDeps, uploadCertificate } from "./upload.ts";

const canSee = (ctx: Ctx, row: CertificateRef) => certificates.canRead(ctx, row).allowed;

export function createCertificatesService(
  deps: {
    db: Db;
    engine: Engine;
    dnsProviders: Dns01Providers;
  } & UploadDeps,
) {
  const { db, engine, dnsProviders } = deps;
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findCertificate(k, id);
    if (!row || !canSee(ctx, row)) throw notFound(`certificate ${id}`);
    return row;
  }

  async function enqueueIssue(trx: Kysely<Database>, row: repo.CertificateRow | CertRowLike) {
    const { task } = await engine.enqueue(
      {
        kind: CERTIFICATE_ISSUE,
        payload: { certificateId: row.id },
        target: { type: "site", id: row.site_id },
        accountId: row.account_id,
        bringForward: true,
      },
      trx,
    );
    await repo.updateCertificate(trx, row.id, { task_id: task.id });
    return task.id;
  }

  const answer = async (id: string, taskId: string) => {
    const row = await repo.findCertificate(k, id);
    if (!row) throw notFound(`certificate ${id}`);
    return { ...repo.toCertificate(row), taskId };
  };

  return {
    async list(
      ctx: Ctx,
      f: z.infer<typeof certificateListQuery> & { limit: number; cursor?: string },
    ) {
      const scope = { where: certificates.listScope(ctx), walks: certificates.listWalks(ctx) };
      return repo.listCertificates(k, scope, {
        ...f,
        walk: repo.certificateOrder(f.sort ?? "expires", f.cursor),
      });
    },

    get: async (ctx: Ctx, id: string) => repo.toCertificate(await mustFind(ctx, id)),

    /** A site's certificate: created (or its options changed) and ordered. */
    async request(ctx: Ctx, input: CertificateRequest) {
      const site = await siteToManage(k, ctx, input.site);
      const names = certificateNames(site, input.wildcard);
      const challenge = input.challenge ?? null;
      const how = await chooseChallenge(challenge, names, await dnsProviders(site.account_id));
      if (how.type === "none") throw invalid(input.wildcard ? "wildcard" : "challenge", how.why);
      const before = await repo.certificateOfSite(k, site.id);
      const now = Date.now();
      const id = before?.id ?? newId("cert");
      const options = {
        key_type: input.keyType,
        hsts: input.hsts ? 1 : 0,
        challenge,
        wildcard: input.wildcard ? 1 : 0,
      };
      const taskId = await k.transaction().execute(async (trx) => {
        const row = {
          id,
          site_id: site.id,
          account_id: site.account_id,
          node_id: site.node_id,
          names: JSON.stringify(names),
        };
        if (before) await repo.updateCertificate(trx, id, { ...row, ...options });
        else
          await repo.insertCertificate(trx, {
            ...row,
            ...options,
            state: "pending",
            serial: null,
            issuer: null,
            not_before: null,
            not_after: null,
            renew_at: null,
            last_error: null,
            warned_days: null,
            task_id: null,
            created_at: now,
            updated_at: now,
          });
        await recordAudit(trx, ctx, {
          action: "certificate.request",
          targetType: "site",
          targetId: site.id,
          accountId: site.account_id,
          diff: { after: input },
        });
        return enqueueIssue(trx, row);
      });
      return answer(id, taskId);
    },

    /** Installs a certificate made elsewhere on its site (never renewed: warned before expiry). */
    upload: (ctx: Ctx, input: CertificateUpload) => uploadCertificate(deps, ctx, input),

    /** The panel's own certificate (STEWARD_TLS_DOMAIN): super users. */
    async panel(ctx: Ctx) {
      enforce(ctx, certificates.canManagePanel(ctx));
      const domain = deps.settings.tlsDomain;
      if (!domain) throw notFound("the panel's own certificate (STEWARD_TLS_DOMAIN is not set)");
      return describePanel(deps.settings, domain, await readPanelState(k));
    },

    /** Orders the panel's own certificate again now. */
    async renewPanel(ctx: Ctx) {
      enforce(ctx, certificates.canManagePanel(ctx));
      const domain = deps.settings.tlsDomain;
      if (!domain) throw notFound("the panel's own certificate (STEWARD_TLS_DOMAIN is not set)");
      const state = await readPanelState(k);
      await k.transaction().execute(async (trx) => {
        await recordAudit(trx, ctx, {
          action: "certificate.panel.renew",
          targetType: "panel",
          targetId: domain,
          accountId: null,
          diff: { renew: { domain, lastError: state.lastError } },
        });
        await enqueuePanel(
          async (spec) => (await engine.enqueue(spec, trx)).task,
          { ...db, db: trx },
          true,
        );
      });
      return describePanel(deps.settings, domain, await readPanelState(k));
    },

    /** Orders the certificate again now (a renewal before its time, or after a fix). */
    async renew(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, certificates.canManage(ctx, row));
      const taskId = await k.transaction().execute(async (trx) => {
        await recordAudit(trx, ctx, {
          action: "certificate.renew",
          targetType: "site",
          targetId: row.site_id,
          accountId: row.account_id,
          diff: { renew: { serial: row.serial, lastError: row.last_error } },
        });
        return enqueueIssue(trx, row);
      });
      return answer(id, taskId);
    },
  };
}

type CertRowLike = { id: string; site_id: string; account_id: string };
