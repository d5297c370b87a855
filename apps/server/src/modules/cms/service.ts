// CMS sites (issue 17, docs/cms.md): an account's admins add a WordPress site (its address
// checked by the outbound policy, the application password sealed, a recurring refresh task,
// the connection diagnosed and the answer saved whatever it says), update it and remove it;
// its operators diagnose and refresh it; its readers see it. Every change audited.

import type { CmsSiteCreate, CmsSitePatch, CmsUpdateRequest } from "@steward/contracts";
import { WORDPRESS_UPLOADS } from "@steward/contracts/agent";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { cmsSites } from "../../access/policies/cms-sites.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { type Resolve, refuseFields } from "../../lib/outbound.ts";
import { requireAccount } from "../accounts/require.ts";
import { findTask } from "../tasks/repo.ts";
import { taskCreator } from "../tasks/service.ts";
import { diagnoseSite, updateTypeOf } from "./client.ts";
import { createCmsFleet } from "./fleet-service.ts";
import { checkLink } from "./hosted.ts";
import * as repo from "./repo.ts";
import { newSiteRow } from "./site-row.ts";
import { CMS_REFRESH } from "./tasks.ts";
import { createCmsTools } from "./tools-service.ts";
import { forgetSite } from "./update-repo.ts";
import { infoOf, isWaiting, offersOf, pushUpgrade, upgradeTaskOf } from "./upgrades.ts";

/** An account keeps at most this many sites. */
export const MAX_PER_ACCOUNT = 1000;

interface Deps {
  db: Db;
  secrets: Secrets;
  engine: Engine;
  policy: () => OutboundPolicy;
  resolve?: Resolve;
  /** the sites service: a linked WordPress site's site gets wp-content/uploads writable */
  sites?: () => { addWritableDir(ctx: Ctx, id: string, dir: string): Promise<string | null> };
}

/** The recurring refresh: every 3 hours, at a minute of the hour spread by the site's id. */
const refreshExpression = (id: string) => {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 60;
  return `${h} */3 * * *`;
};

export function createCmsService({ db, secrets, engine, policy, resolve, sites }: Deps) {
  const k = db.db;

  /**
   * WordPress writes its media into wp-content/uploads: the Steward site hosting it lets its
   * PHP write there (docs/sites.md, "Writable directories"), as the account layout needs.
   */
  const writableUploads = async (ctx: Ctx, kind: string, siteId: string | null) => {
    if (kind === "wordpress" && siteId)
      await sites?.().addWritableDir(ctx, siteId, WORDPRESS_UPLOADS);
  };

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findSite(k, id);
    if (!row || !cmsSites.canRead(ctx, row).allowed) throw notFound(`CMS site ${id}`);
    return row;
  }

  /** The site as the caller sees it, with what the console may offer them on it. */
  const siteFor = (ctx: Ctx, row: repo.CmsSiteRow) => ({
    ...repo.toCmsSite(row),
    can: {
      refresh: cmsSites.canRefresh(ctx, row).allowed,
      useTools: cmsSites.canUseTools(ctx, row).allowed,
      manage: cmsSites.canManage(ctx, row).allowed,
    },
  });

  const audit = (
    trx: Kysely<Database>,
    ctx: Ctx,
    action: string,
    row: Pick<repo.CmsSiteRow, "id" | "account_id">,
    diff: unknown,
  ) =>
    recordAudit(trx, ctx, {
      action,
      targetType: "cms_site",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  const targetOf = (row: repo.CmsSiteRow) => ({
    url: row.url,
    username: row.username,
    password: secrets.open(row.secret_enc),
  });

  async function runDiagnosis(row: repo.CmsSiteRow) {
    const diagnosis = await diagnoseSite(row.kind, targetOf(row), { policy: policy(), resolve });
    await repo.updateSite(k, row.id, { diagnosis: JSON.stringify(diagnosis) });
    return diagnosis;
  }

  const enqueueRefresh = (
    row: Pick<repo.CmsSiteRow, "id" | "account_id">,
    createdBy: string | null,
  ) =>
    engine.enqueue({
      kind: CMS_REFRESH,
      payload: { siteId: row.id },
      target: { type: "cms_site", id: row.id },
      accountId: row.account_id,
      priority: 3,
      createdBy,
      onSuccess: "disable",
    });

  return {
    /** the tools on a site: scanner, unblock, firewall, temporary admin, backups (tools-service.ts) */
    tools: createCmsTools({ db, secrets, engine, policy, resolve }),
    /** the fleet's views (extensions across sites, what is outdated) and its refresh (fleet-service.ts) */
    fleet: createCmsFleet({ db, engine }),

    async list(ctx: Ctx, accountId: string) {
      if (!cmsSites.canList(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      // a grant on a site (`none` too) decides over the account's
      return (await repo.sitesOfAccount(k, accountId, MAX_PER_ACCOUNT))
        .filter((row) => cmsSites.canRead(ctx, row).allowed)
        .map((row) => siteFor(ctx, row));
    },

    get: async (ctx: Ctx, id: string) => siteFor(ctx, await mustFind(ctx, id)),

    async create(ctx: Ctx, input: CmsSiteCreate) {
      if (!cmsSites.canList(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
      enforce(ctx, cmsSites.canCreateIn(ctx, input.account));
      await requireAccount(k, input.account, "account");
      const refused = await refuseFields([{ field: "url", url: input.url }], policy(), resolve);
      if (refused) throw invalid(refused.field, refused.message);
      if (await repo.findSiteByName(k, input.account, input.name))
        throw conflict(`the account already has a CMS site named ${input.name}`, "name");
      const have = await repo.sitesOfAccount(k, input.account, MAX_PER_ACCOUNT);
      if (have.length >= MAX_PER_ACCOUNT)
        throw conflict(`an account keeps at most ${MAX_PER_ACCOUNT} CMS sites`, "account");
      const link = await checkLink(db, ctx, input.account, {
        site: input.site ?? null,
        backupPlan: input.backupPlan ?? null,
      });
      const row = newSiteRow(input, link, secrets);
      await k.transaction().execute(async (trx) => {
        await repo.insertSite(trx, row);
        const { task } = await engine.enqueue(
          {
            kind: CMS_REFRESH,
            payload: { siteId: row.id },
            target: { type: "cms_site", id: row.id },
            accountId: row.account_id,
            expression: refreshExpression(row.id),
            timezone: "UTC",
            createdBy: taskCreator(ctx),
          },
          trx,
        );
        row.refresh_task_id = task.id;
        await repo.updateSite(trx, row.id, { refresh_task_id: task.id });
        await audit(trx, ctx, "cms_site.create", row, {
          after: {
            name: row.name,
            kind: row.kind,
            url: row.url,
            username: row.username,
            site: row.site_id,
            backupPlan: row.backup_plan_id,
          },
        });
      });
      await writableUploads(ctx, row.kind, row.site_id);
      // saved whatever the diagnosis says: the user fixes the site and diagnoses again
      const diagnosis = await runDiagnosis(row);
      if (diagnosis.ok) await enqueueRefresh(row, taskCreator(ctx));
      return siteFor(ctx, { ...row, diagnosis: JSON.stringify(diagnosis) });
    },

    /** Links the site to the Steward site hosting it and its backup plan, or unlinks it. */
    async patch(ctx: Ctx, id: string, input: CmsSitePatch) {
      const row = await mustFind(ctx, id);
      enforce(ctx, cmsSites.canManage(ctx, row));
      const link = await checkLink(db, ctx, row.account_id, input);
      await k.transaction().execute(async (trx) => {
        await repo.updateSite(trx, id, link);
        await audit(trx, ctx, "cms_site.link", row, {
          before: { site: row.site_id, backupPlan: row.backup_plan_id },
          after: { site: link.site_id, backupPlan: link.backup_plan_id },
        });
      });
      await writableUploads(ctx, row.kind, link.site_id);
      return siteFor(ctx, { ...row, ...link });
    },

    async diagnose(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, cmsSites.canRefresh(ctx, row));
      const diagnosis = await runDiagnosis(row);
      await audit(k, ctx, "cms_site.diagnose", row, {
        ok: diagnosis.ok,
        problems: diagnosis.problems.map((p) => p.code),
      });
      return diagnosis;
    },

    async refresh(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, cmsSites.canRefresh(ctx, row));
      const { task } = await enqueueRefresh(row, taskCreator(ctx));
      return { taskId: task.id };
    },

    /** The offers of the last refresh. */
    async updates(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      return {
        refreshedAt: repo.toCmsSite(row).refreshedAt,
        items: offersOf(row.kind, infoOf(row)),
      };
    },

    /** Pushes the site's run-once, high-priority upgrade task with this update asked of it. */
    async update(ctx: Ctx, id: string, request: CmsUpdateRequest) {
      const row = await mustFind(ctx, id);
      enforce(ctx, cmsSites.canManage(ctx, row));
      const slug = request.slug ?? "";
      if (request.type !== "core") {
        const info = repo.toCmsSite(row).info;
        const known = info?.extensions.some(
          (e) => updateTypeOf(row.kind, e.type) === request.type && e.slug === slug,
        );
        if (!known)
          throw invalid("slug", `the site has no ${request.type} ${slug} (as of its last refresh)`);
      }
      // the site's one upgrade task, pushed (or re-enabled) to run now, this update asked of it
      const task = await pushUpgrade({ db, engine }, row, {
        runAt: Date.now(),
        requested: [{ type: request.type, slug }],
        createdBy: taskCreator(ctx),
        within: (trx, taskId) =>
          audit(trx, ctx, "cms_site.update", row, { type: request.type, slug, taskId }),
      });
      return { taskId: task.id };
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, cmsSites.canManage(ctx, row));
      const task = row.refresh_task_id ? await findTask(k, row.refresh_task_id) : undefined;
      if (task && !["succeeded", "failed", "cancelled"].includes(task.state))
        await engine.cancel(task, "its CMS site was removed");
      const { task: upgrade } = await upgradeTaskOf(k, row.id);
      if (isWaiting(upgrade)) await engine.cancel(upgrade, "its CMS site was removed");
      await k.transaction().execute(async (trx) => {
        await repo.deleteSite(trx, id);
        await forgetSite(trx, row.account_id, id);
        await audit(trx, ctx, "cms_site.remove", row, { before: { name: row.name, url: row.url } });
      });
    },
  };
}

export type CmsService = ReturnType<typeof createCmsService>;
