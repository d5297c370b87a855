// Websites: the desired state in the panel, applied to the node by a task enqueued in the
// same transaction as the change (docs/design.md, principles 1-3). One task at a time per site.
import type { SiteCreate, SiteUpdate, siteListQuery } from "@steward/contracts";
import { MAX_WRITABLE_DIRS } from "@steward/contracts/agent";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { type SiteRef, sites } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { ensureDefault } from "../accounts/default.ts";
import { planCertificate } from "../certificates/repo.ts";
import { addSiteRecords } from "../dns/site-records.ts";
import {
  addSiteMonitor,
  removeSiteMonitor,
  retargetSiteMonitor,
} from "../monitors/site-monitor.ts";
import { usableNode, usableNodes } from "../nodes/usable.ts";
import { checkPhpVersion, layoutOfNewSite, siteLayout } from "./layout.ts";
import * as repo from "./repo.ts";
import { nameRows, systemUserOf } from "./rules.ts";
import { siteSettings } from "./settings-service.ts";
import { SITE_APPLY } from "./tasks.ts";
import { checkUpstream, type UpstreamSettings } from "./upstream.ts";

const canSee = (ctx: Ctx, row: SiteRef): boolean => sites.canRead(ctx, row).allowed;

export function createSitesService({
  db,
  engine,
  settings,
}: {
  db: Db;
  engine: Engine;
  settings: UpstreamSettings;
}) {
  const k = db.db;

  async function mustFind(
    ctx: Ctx,
    id: string,
    decide: (ctx: Ctx, site: SiteRef) => Decision = sites.canRead,
  ) {
    const row = await repo.findSite(k, id);
    // not visible and not existing look the same
    if (!row || !canSee(ctx, row)) throw notFound(`site ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  /**
   * A name belongs to one site. Which site holds it is said only to who may see that site;
   * anyone else gets the same answer whoever holds it (another account's site or not), so
   * the conflict reveals no other account's sites or names.
   */
  async function checkNames(ctx: Ctx, trx: Kysely<Database>, names: string[], except?: string) {
    const taken = await repo.takenNames(trx, names, except);
    if (!taken.length) return;
    const said = taken.map((t) =>
      canSee(ctx, { id: t.id, account_id: t.account_id })
        ? `${t.domain} is already used by site ${t.primary_domain} (${t.id})`
        : `${t.domain} is not available`,
    );
    throw conflict(`${said.join("; ")}: choose another name`, "domains");
  }

  /**
   * Writes the change's task and points the site at it; in the caller's transaction. Every
   * task applies the latest row, so a task still waiting (queued, perhaps backing off after an
   * unreachable agent) is brought forward by the engine, with its attempts renewed, and reused
   * instead of a second one piling up.
   */
  async function enqueueApply(trx: Kysely<Database>, row: { id: string; account_id: string }) {
    const { task } = await engine.enqueue(
      {
        kind: SITE_APPLY,
        payload: { siteId: row.id },
        target: { type: "site", id: row.id },
        accountId: row.account_id,
        bringForward: true,
      },
      trx,
    );
    await repo.updateSite(trx, row.id, { task_id: task.id });
    return task.id;
  }

  /**
   * Asks the node to remove the site: a delete (which says whether to keep its files), or the
   * retry of a removal that failed (as that delete said).
   */
  async function removal(
    ctx: Ctx,
    before: repo.SiteRecord,
    verb: "delete" | "retry",
    diff: unknown,
    keepFiles?: boolean,
  ) {
    const keep = keepFiles === undefined ? {} : { keep_files: keepFiles ? 1 : 0 };
    const taskId = await k.transaction().execute(async (trx) => {
      await repo.updateSite(trx, before.id, { status: "deleting", removing: 1, ...keep });
      await recordAudit(trx, ctx, changeOf("site", before.id, verb, diff, before.account_id));
      return enqueueApply(trx, before);
    });
    return { ...repo.toSite({ ...before, status: "deleting" }), taskId };
  }

  async function change(
    ctx: Ctx,
    id: string,
    action: string,
    set: Partial<repo.SiteRow>,
    diff: unknown,
    names?: ReturnType<typeof nameRows>,
    /** more of the change, in its transaction (the site's default monitor) */
    also?: (trx: Kysely<Database>) => Promise<void>,
  ) {
    const before = await mustFind(ctx, id, sites.canManage);
    if (before.status === "deleting" || Number(before.removing))
      throw conflict(`site ${id} is being deleted`);
    const taskId = await k.transaction().execute(async (trx) => {
      if (names) {
        await checkNames(
          ctx,
          trx,
          names.map((row) => row.domain),
          id,
        );
        await repo.setNames(trx, id, names);
      }
      await repo.updateSite(trx, id, {
        ...set,
        status: set.status ?? "pending",
        desired_version: before.desired_version + 1,
      });
      await recordAudit(trx, ctx, {
        action,
        targetType: "site",
        targetId: id,
        accountId: before.account_id,
        diff,
      });
      await also?.(trx);
      return enqueueApply(trx, before);
    });
    const after = await repo.findSite(k, id);
    if (!after) throw notFound(`site ${id}`);
    return { ...repo.toSite(after), taskId };
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof siteListQuery> & { limit: number; cursor?: string }) {
      const scope = { where: sites.listScope(ctx), walks: sites.listWalks(ctx) };
      return repo.listSites(k, scope, { ...f, walk: repo.siteOrder(f.sort, f.cursor) });
    },

    get: async (ctx: Ctx, id: string) => repo.toSite(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: SiteCreate) {
      const id = newId("site");
      const names = nameRows(input);
      // before the transaction: it may ask a resolver
      if (input.upstream)
        await checkUpstream(k, settings, input.node, input.upstream, input.account ?? null);
      if (input.phpVersion) await checkPhpVersion(k, input.node, input.phpVersion);
      const taskId = await k.transaction().execute(async (trx) => {
        const accountId = input.account ?? (await ensureDefault(trx, ctx));
        enforce(ctx, sites.canCreateIn(ctx, accountId));
        await usableNode(trx, input.node);
        await checkNames(
          ctx,
          trx,
          names.map((row) => row.domain),
        );
        const now = Date.now();
        const row = {
          id,
          account_id: accountId,
          node_id: input.node,
          kind: input.kind,
          primary_domain: input.domains[0] ?? "",
          redirect: input.redirect,
          root: input.root,
          upstream: input.upstream ?? null,
          php_allow_exec: input.phpAllowExec ? 1 : 0,
          php_version: input.phpVersion ?? null,
          ...(input.writableDirs ? { writable_dirs: JSON.stringify(input.writableDirs) } : {}),
          // in the account's layout when it has a main system user on the node
          ...(await layoutOfNewSite(trx, accountId, input.node)),
          system_user: systemUserOf(id),
          status: "pending" as const,
          last_error: null,
          task_id: null,
          created_at: now,
          updated_at: now,
        };
        await repo.insertSite(trx, row);
        await repo.setNames(trx, id, names);
        // HTTPS unless asked for HTTP only: ordered by the daily scan once the names resolve
        if (input.https !== false)
          await planCertificate(
            trx,
            row,
            names.map((n) => n.domain),
            now,
          );
        if (input.monitor !== false) await addSiteMonitor(trx, ctx, row);
        if (input.dnsRecords)
          await addSiteRecords(
            engine,
            trx,
            accountId,
            names.map((n) => n.domain),
            input.dnsRecords,
          );
        await recordAudit(trx, ctx, {
          action: "site.create",
          targetType: "site",
          targetId: id,
          accountId,
          diff: { after: input },
        });
        return enqueueApply(trx, row);
      });
      const created = await repo.findSite(k, id);
      if (!created) throw notFound(`site ${id}`);
      return { ...repo.toSite(created), taskId };
    },

    async update(ctx: Ctx, id: string, input: SiteUpdate) {
      const before = await mustFind(ctx, id, sites.canManage);
      const next = {
        kind: input.kind ?? before.kind,
        domains: input.domains ?? before.domains,
        aliases: input.aliases ?? before.aliases,
        redirect: input.redirect ?? before.redirect,
        upstream: input.upstream === undefined ? before.upstream : input.upstream,
      };
      if (next.kind === "proxy" && !next.upstream)
        throw invalid("upstream", "is required for a proxy site");
      if (next.kind !== "proxy" && next.upstream)
        throw invalid("upstream", "is only for proxy sites");
      if (next.upstream)
        await checkUpstream(k, settings, before.node_id, next.upstream, before.account_id);
      if (input.phpVersion && next.kind !== "php")
        throw invalid("phpVersion", "is only for PHP sites");
      if (input.writableDirs && next.kind !== "php")
        throw invalid("writableDirs", "is only for PHP sites");
      if (input.phpVersion) await checkPhpVersion(k, before.node_id, input.phpVersion);
      const site = { ...before, primary_domain: next.domains[0] ?? before.primary_domain };
      const monitor = async (trx: Kysely<Database>) => {
        if (input.monitor === false) return removeSiteMonitor(trx, ctx, id);
        if (input.monitor) await addSiteMonitor(trx, ctx, site);
        await retargetSiteMonitor(trx, site, before.primary_domain);
      };
      return change(
        ctx,
        id,
        "site.update",
        {
          kind: next.kind,
          primary_domain: next.domains[0] ?? before.primary_domain,
          redirect: next.redirect,
          root: input.root ?? before.root,
          upstream: next.upstream,
          ...(input.phpAllowExec === undefined
            ? {}
            : { php_allow_exec: input.phpAllowExec ? 1 : 0 }),
          ...(input.phpVersion === undefined ? {} : { php_version: input.phpVersion }),
          ...(input.writableDirs ? { writable_dirs: JSON.stringify(input.writableDirs) } : {}),
          status: Number(before.suspended) ? "suspended" : "pending",
        },
        { before: repo.toSite(before), after: input },
        nameRows(next),
        monitor,
      );
    },

    suspend: (ctx: Ctx, id: string) =>
      change(
        ctx,
        id,
        "site.suspend",
        { suspended: 1, status: "suspended" },
        { after: { suspended: true } },
      ),
    resume: (ctx: Ctx, id: string) =>
      change(ctx, id, "site.resume", { suspended: 0 }, { after: { suspended: false } }),

    /** A failed site's apply once more, as it stands (after fixing what the error said). */
    async retry(ctx: Ctx, id: string) {
      const before = await mustFind(ctx, id, sites.canManage);
      if (before.status !== "failed")
        throw conflict(`site ${before.primary_domain} is ${before.status}, not failed`, "status");
      const diff = { retry: { lastError: before.last_error } };
      if (Number(before.removing)) return removal(ctx, before, "retry", diff);
      const status = Number(before.suspended) ? "suspended" : "pending";
      return change(ctx, id, "site.retry", { status }, diff);
    },

    /**
     * The nodes the caller may place a site on: every usable node for who administers some
     * account (or everything), none for anyone else. Id and name only: no node's details.
     */
    async placements(ctx: Ctx) {
      if (!ctx.actor || !sites.canCreateSomewhere(ctx).allowed) return { items: [] };
      return { items: await usableNodes(k) };
    },

    async remove(ctx: Ctx, id: string, keepFiles: boolean) {
      const before = await mustFind(ctx, id, sites.canManage);
      const diff = { before: repo.toSite(before), keepFiles };
      return removal(ctx, before, "delete", diff, keepFiles);
    },

    /**
     * Adds a writable directory to a PHP site, unless it has it, has 20 or is being deleted (a
     * WordPress site linked to it: wp-content/uploads); the site's apply task, else null.
     */
    async addWritableDir(ctx: Ctx, id: string, dir: string) {
      const before = await mustFind(ctx, id, sites.canManage);
      const dirs = repo.writableDirsOf(before);
      const going = before.status === "deleting" || Number(before.removing) === 1;
      if (going || before.kind !== "php" || dirs.includes(dir) || dirs.length >= MAX_WRITABLE_DIRS)
        return null;
      const writableDirs = [...dirs, dir];
      const set = { writable_dirs: JSON.stringify(writableDirs) };
      const diff = { before: { writableDirs: dirs }, after: { writableDirs } };
      return (await change(ctx, id, "site.update", set, diff)).taskId;
    },

    /** directory protection and PHP settings (settings-service.ts) */
    ...siteSettings(k, { find: mustFind, change }),
    /** the move into the account's layout (layout.ts) */
    ...siteLayout(k, { find: mustFind, change }),
  };
}
