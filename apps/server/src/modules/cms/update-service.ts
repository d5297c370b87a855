// Update policies, a site's effective policy and history, and bulk updates (issue 17,
// docs/cms.md#update-policies): an account's admins set its defaults, a site's admins the
// site's own; readers see them. A bulk update previews what each site's upgrade task would
// apply and when (windows, two minutes apart), or pushes those tasks. Every change audited.
import type {
  CmsBulkUpdate,
  CmsSitePolicy,
  UpdatePolicySet,
  VisualShotKind,
} from "@steward/contracts";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { cmsSites } from "../../access/policies/cms-sites.ts";
import { cmsUpdates } from "../../access/policies/cms-updates.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import { bulkUpdate } from "./bulk-update.ts";
import * as sites from "./repo.ts";
import { judge, siteSettings } from "./update-policy.ts";
import * as repo from "./update-repo.ts";
import { nextWindowStart } from "./update-window.ts";
import { infoOf, offersOf } from "./upgrades.ts";

/** An account keeps at most this many policies (defaults, sites', extensions'). */
export const MAX_POLICIES = 5000;
const HISTORY = 100;

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const iso = (ms: number) => new Date(ms).toISOString();

export function createCmsUpdatesService({ db, engine }: { db: Db; engine: Engine }) {
  const k = db.db;

  const audit = (
    trx: Kysely<Database>,
    ctx: Ctx,
    action: string,
    target: { type: string; id: string },
    accountId: string,
    diff: unknown,
  ) =>
    recordAudit(trx, ctx, {
      action,
      targetType: target.type,
      targetId: target.id,
      accountId,
      diff,
    });

  async function readableSite(ctx: Ctx, id: string) {
    const row = await sites.findSite(k, id);
    if (!row || !cmsSites.canRead(ctx, row).allowed) throw notFound(`CMS site ${id}`);
    return row;
  }

  /** A policy the caller may change: the account's defaults as its admin, a site's as the site's. */
  function enforceChange(ctx: Ctx, scope: { account_id: string; site_id: string }) {
    if (scope.site_id)
      enforce(ctx, cmsSites.canManage(ctx, { id: scope.site_id, account_id: scope.account_id }));
    else enforce(ctx, cmsUpdates.canSetDefaults(ctx, scope.account_id));
  }

  const visible = (ctx: Ctx, r: repo.PolicyRow) =>
    !r.site_id || cmsSites.canRead(ctx, { id: r.site_id, account_id: r.account_id }).allowed;

  return {
    async listPolicies(ctx: Ctx, query: { account: string; site?: string }) {
      if (!cmsUpdates.canReadDefaults(ctx, query.account).allowed)
        throw notFound(`account ${query.account}`);
      if (query.site) {
        const site = await readableSite(ctx, query.site);
        if (site.account_id !== query.account) throw notFound(`CMS site ${query.site}`);
        const rows = await repo.policiesOfSite(k, query.account, site.id);
        return rows.filter((r) => r.site_id === site.id).map(repo.toPolicy);
      }
      const rows = await repo.policiesOfAccount(k, query.account, MAX_POLICIES);
      return rows.filter((r) => visible(ctx, r)).map(repo.toPolicy);
    },

    /** Sets the policy of a scope (account or site, all updates or one extension), replacing it. */
    async setPolicy(ctx: Ctx, input: UpdatePolicySet) {
      if (!cmsUpdates.canReadDefaults(ctx, input.account).allowed)
        throw notFound(`account ${input.account}`);
      if (input.site) {
        const site = await sites.findSite(k, input.site);
        if (!site || site.account_id !== input.account || !cmsSites.canRead(ctx, site).allowed)
          throw invalid("site", `the account has no CMS site ${input.site}`);
      }
      const scope = {
        account_id: input.account,
        site_id: input.site ?? "",
        ext_type: input.type ?? ("" as const),
        ext_slug: input.type === "core" ? "" : (input.slug ?? ""),
      };
      enforceChange(ctx, scope);
      await requireAccount(k, input.account, "account");
      const found = await repo.findPolicyByScope(k, scope);
      if (
        !found &&
        (await repo.policiesOfAccount(k, input.account, MAX_POLICIES)).length >= MAX_POLICIES
      )
        throw invalid("account", `an account keeps at most ${MAX_POLICIES} update policies`);
      const now = Date.now();
      const row: repo.PolicyRow = {
        id: found?.id ?? newId("cup"),
        ...scope,
        level: input.level,
        stable_only: input.stableOnly ? 1 : 0,
        window_start: input.window ? minutesOf(input.window.start) : null,
        window_minutes: input.window?.durationMinutes ?? null,
        window_days: input.window ? repo.daysToBits(input.window.days) : null,
        keyword: input.keyword,
        skip_version: input.skipVersion,
        visual_check: input.visualCheck === null ? null : input.visualCheck === "on" ? 1 : 0,
        visual_threshold: input.visualThreshold,
        created_at: found?.created_at ?? now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        if (found) await repo.replacePolicy(trx, row);
        else await repo.insertPolicy(trx, row);
        await audit(
          trx,
          ctx,
          "cms_policy.set",
          { type: "cms_policy", id: row.id },
          row.account_id,
          {
            before: found ? repo.toPolicy(found) : null,
            after: repo.toPolicy(row),
          },
        );
      });
      return repo.toPolicy(row);
    },

    async removePolicy(ctx: Ctx, id: string) {
      const row = await repo.findPolicy(k, id);
      if (!row || !cmsUpdates.canReadDefaults(ctx, row.account_id).allowed || !visible(ctx, row))
        throw notFound(`update policy ${id}`);
      enforceChange(ctx, row);
      await k.transaction().execute(async (trx) => {
        await repo.deletePolicy(trx, id);
        await audit(trx, ctx, "cms_policy.remove", { type: "cms_policy", id }, row.account_id, {
          before: repo.toPolicy(row),
        });
      });
    },

    /** What applies to a site: its level, window (next opening) and keyword, and each offer judged. */
    async sitePolicy(ctx: Ctx, siteId: string, now = Date.now()): Promise<CmsSitePolicy> {
      const site = await readableSite(ctx, siteId);
      const rows = await repo.policiesOfSite(k, site.account_id, site.id);
      const settings = siteSettings(rows, site.id);
      return {
        siteId: site.id,
        timezone: site.timezone,
        ...settings,
        nextWindow: settings.window
          ? iso(nextWindowStart(settings.window, site.timezone, now))
          : null,
        offers: offersOf(site.kind, infoOf(site)).map((o) => judge(rows, site.id, o)),
        policies: rows.filter((r) => r.site_id === site.id).map(repo.toPolicy),
      };
    },

    async history(ctx: Ctx, siteId: string) {
      const site = await readableSite(ctx, siteId);
      return (await repo.historyOfSite(k, site.id, HISTORY)).map(repo.toHistory);
    },

    /** One image of an update's visual check (before, after, diff) as the site's readers see it. */
    async shot(ctx: Ctx, siteId: string, entryId: string, kind: VisualShotKind) {
      const site = await readableSite(ctx, siteId);
      const found = await repo.findShot(k, site.id, entryId, kind);
      if (!found) throw notFound(`the ${kind} image of update ${entryId}`);
      return Buffer.from(found.png);
    },

    /** What each site's upgrade would apply and when; pushed unless it is a preview. */
    bulk: (ctx: Ctx, input: CmsBulkUpdate, now = Date.now()) =>
      bulkUpdate({ db, engine, audit }, ctx, input, now),
  };
}

export type CmsUpdatesService = ReturnType<typeof createCmsUpdatesService>;
