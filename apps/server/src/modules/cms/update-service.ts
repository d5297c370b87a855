// Update policies, a site's effective policy and history, and bulk updates (issue 17,
// docs/cms.md#update-policies): an account's admins set its defaults, a site's admins the
// site's own; readers see them. A bulk update previews what each site's upgrade task would
// apply and when (windows, two minutes apart), or pushes those tasks. Every change audited.
import type {
  CmsBulkUpdate,
  CmsPlannedUpdate,
  CmsSitePolicy,
  UpdatePolicySet,
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
import { taskCreator } from "../tasks/service.ts";
import * as sites from "./repo.ts";
import { MAX_PER_ACCOUNT } from "./service.ts";
import { judge, siteSettings } from "./update-policy.ts";
import * as repo from "./update-repo.ts";
import { nextWindowStart } from "./update-window.ts";
import {
  chosenUpdates,
  earliestStart,
  infoOf,
  isWaiting,
  offersOf,
  pushUpgrade,
  schedule,
  UPGRADE_GAP_SECONDS,
  upgradeTaskOf,
  type Want,
} from "./upgrades.ts";

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
        offers: offersOf(infoOf(site)).map((o) => judge(rows, site.id, o)),
        policies: rows.filter((r) => r.site_id === site.id).map(repo.toPolicy),
      };
    },

    async history(ctx: Ctx, siteId: string) {
      const site = await readableSite(ctx, siteId);
      return (await repo.historyOfSite(k, site.id, HISTORY)).map(repo.toHistory);
    },

    /** What each site's upgrade would apply and when; pushed unless it is a preview. */
    async bulk(ctx: Ctx, input: CmsBulkUpdate, now = Date.now()) {
      if (!cmsSites.canList(ctx, input.account).allowed) throw notFound(`account ${input.account}`);
      const all = await sites.sitesOfAccount(k, input.account, MAX_PER_ACCOUNT);
      let chosen = all.filter((s) => cmsSites.canManage(ctx, s).allowed);
      if (input.sites) {
        const wanted = new Set(input.sites);
        for (const id of wanted)
          if (!chosen.some((s) => s.id === id))
            throw invalid("sites", `no CMS site ${id} of the account that you may update`);
        chosen = chosen.filter((s) => wanted.has(s.id));
      }
      const items: CmsPlannedUpdate[] = [];
      const wants: (Want & { site: sites.CmsSiteRow; updates: CmsPlannedUpdate["updates"] })[] = [];
      const taken: number[] = [];
      for (const site of chosen) {
        const rows = await repo.policiesOfSite(k, site.account_id, site.id);
        const { task } = await upgradeTaskOf(k, site.id);
        const updates = chosenUpdates(site, rows, [], input.all);
        const item = { siteId: site.id, siteName: site.name, timezone: site.timezone, updates };
        const note = (text: string, runAt: string | null = null, taskId: string | null = null) =>
          items.push({ ...item, runAt, taskId, note: text });
        if (isWaiting(task)) {
          if (task.state === "queued") taken.push(Number(task.run_at));
          note("an upgrade task is already waiting", iso(Number(task.run_at)), task.id);
        } else if (site.refreshed_at === null) note("not refreshed yet: no offers known");
        else if (updates.length === 0)
          note(input.all ? "no update offered" : "no update the policy applies on its own");
        else {
          const { window } = siteSettings(rows, site.id);
          const earliest = input.now ? now : earliestStart(window, site.timezone, now);
          wants.push({
            siteId: site.id,
            earliest,
            window: input.now ? null : window,
            timezone: site.timezone,
            site,
            updates,
          });
        }
      }
      const times = schedule(wants, taken);
      for (const want of wants) {
        const runAt = times.get(want.siteId) ?? now;
        let taskId: string | null = null;
        if (!input.preview) {
          const task = await pushUpgrade({ db, engine }, want.site, {
            runAt,
            requested: want.updates.map((u) => ({ type: u.type, slug: u.slug })),
            createdBy: taskCreator(ctx),
            within: (trx, id) =>
              audit(
                trx,
                ctx,
                "cms_site.bulk_update",
                { type: "cms_site", id: want.site.id },
                want.site.account_id,
                {
                  taskId: id,
                  runAt: iso(runAt),
                  updates: want.updates.map((u) => `${u.type}:${u.slug}:${u.to}`),
                },
              ),
          });
          taskId = task.id;
        }
        items.push({
          siteId: want.siteId,
          siteName: want.site.name,
          timezone: want.timezone,
          runAt: iso(runAt),
          updates: want.updates,
          taskId,
          note: null,
        });
      }
      items.sort(
        (a, b) =>
          (a.runAt ?? "~").localeCompare(b.runAt ?? "~") || a.siteName.localeCompare(b.siteName),
      );
      return { preview: input.preview, spacingSeconds: UPGRADE_GAP_SECONDS, items };
    },
  };
}

export type CmsUpdatesService = ReturnType<typeof createCmsUpdatesService>;
