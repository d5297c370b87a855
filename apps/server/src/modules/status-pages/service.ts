// Status pages through the API and the CLI: an account's admins create, change and delete its
// pages and their incidents (super users all), each change audited and the public page's
// cache of the slug dropped; a page lists only monitors of its own account.
import type {
  IncidentCreate,
  IncidentUpdate,
  StatusPage,
  StatusPageCreate,
  StatusPageUpdate,
} from "@steward/contracts/status-pages";
import { enforce } from "../../access/decision.ts";
import { statusPages as policy } from "../../access/policies/status-pages.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { msToIso } from "../../lib/sql.ts";
import { ensureDefault } from "../accounts/default.ts";
import { monitorsByIds } from "../monitors/repo.ts";
import * as repo from "./repo.ts";

const INCIDENTS = 50;

export const toIncident = (row: repo.IncidentRow) => ({
  id: row.id,
  title: row.title,
  body: row.body,
  severity: row.severity,
  startedAt: msToIso(Number(row.started_at)),
  resolvedAt: row.resolved_at === null ? null : msToIso(Number(row.resolved_at)),
});

export function createStatusPagesService(deps: { db: Db; changed: (slug: string) => void }) {
  const k = deps.db.db;

  async function view(row: repo.PageRow): Promise<StatusPage> {
    const monitors = await repo.pageMonitors(k, row.id);
    return {
      id: row.id,
      accountId: row.account_id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      monitors: monitors.map((m) => ({ monitorId: m.monitor_id, name: m.display_name })),
      publicPath: `/status/${row.slug}`,
      createdAt: msToIso(Number(row.created_at)),
      updatedAt: msToIso(Number(row.updated_at)),
    };
  }

  /** The page, or NOT_FOUND when it does not exist or the caller may not manage it. */
  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findPage(k, id);
    if (!row || !policy.canManage(ctx, row.account_id).allowed) throw notFound(`status page ${id}`);
    return row;
  }

  /** The listed monitors with their public names: each one of the account's own. */
  async function monitorsOf(db: typeof k, accountId: string, list: StatusPageCreate["monitors"]) {
    const found = new Map(
      (await monitorsByIds(db, [...new Set(list.map((m) => m.monitor))])).map((m) => [m.id, m]),
    );
    const seen = new Set<string>();
    return list.map((m, i) => {
      const monitor = found.get(m.monitor);
      // another account's monitor and a missing one look the same
      if (!monitor || monitor.account_id !== accountId)
        throw invalid(`monitors.${i}.monitor`, `no monitor ${m.monitor} in this account`);
      if (seen.has(m.monitor)) throw invalid(`monitors.${i}.monitor`, "is listed twice");
      seen.add(m.monitor);
      return { monitorId: m.monitor, name: m.name ?? monitor.name };
    });
  }

  async function checkSlug(slug: string, except?: string) {
    if (await repo.slugTaken(k, slug, except))
      throw conflict(`the status page slug "${slug}" is taken`, "slug");
  }

  const audit = (trx: typeof k, ctx: Ctx, row: repo.PageRow, verb: string, diff: unknown) =>
    recordAudit(trx, ctx, changeOf("status_page", row.id, verb, diff, row.account_id));

  return {
    async list(ctx: Ctx, f: { account?: string; limit: number; cursor?: string }) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      const page = await repo.listPages(k, scope, f, (row) => row);
      return { items: await Promise.all(page.items.map(view)), nextCursor: page.nextCursor };
    },

    get: async (ctx: Ctx, id: string) => view(await mustFind(ctx, id)),

    /** A page's id from its id or its slug (the CLI's references); another's is not found. */
    async idOf(ctx: Ctx, ref: string) {
      if (ref.startsWith("stp_")) return ref;
      const row = await repo.findPageBySlug(k, ref);
      if (!row || !policy.canManage(ctx, row.account_id).allowed)
        throw notFound(`status page ${ref}`);
      return row.id;
    },

    async create(ctx: Ctx, input: StatusPageCreate) {
      const id = newId("stp");
      await checkSlug(input.slug);
      await k.transaction().execute(async (trx) => {
        const accountId = input.account ?? (await ensureDefault(trx, ctx));
        enforce(ctx, policy.canManage(ctx, accountId));
        // inside the transaction, on it (SQLite has one connection: `k` would wait for it)
        const monitors = await monitorsOf(trx, accountId, input.monitors);
        const now = Date.now();
        const row = {
          id,
          account_id: accountId,
          slug: input.slug,
          title: input.title,
          description: input.description,
          created_at: now,
          updated_at: now,
        };
        await repo.insertPage(trx, row);
        await repo.setPageMonitors(trx, id, monitors);
        await audit(trx, ctx, row, "create", { after: { ...input, monitors } });
      });
      deps.changed(input.slug);
      return this.get(ctx, id);
    },

    async update(ctx: Ctx, id: string, input: StatusPageUpdate) {
      const row = await mustFind(ctx, id);
      if (input.slug) await checkSlug(input.slug, id);
      const monitors = input.monitors && (await monitorsOf(k, row.account_id, input.monitors));
      const before = await view(row);
      await k.transaction().execute(async (trx) => {
        await repo.updatePage(trx, id, {
          ...(input.slug ? { slug: input.slug } : {}),
          ...(input.title ? { title: input.title } : {}),
          ...(input.description === undefined ? {} : { description: input.description }),
          updated_at: Date.now(),
        });
        if (monitors) await repo.setPageMonitors(trx, id, monitors);
        await audit(trx, ctx, row, "update", { before, after: input });
      });
      deps.changed(row.slug);
      return this.get(ctx, id);
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      const before = await view(row);
      await k.transaction().execute(async (trx) => {
        await repo.deletePage(trx, id);
        await audit(trx, ctx, row, "delete", { before });
      });
      deps.changed(row.slug);
    },

    async incidents(ctx: Ctx, id: string) {
      await mustFind(ctx, id);
      return (await repo.pageIncidents(k, id, INCIDENTS)).map(toIncident);
    },

    async addIncident(ctx: Ctx, id: string, input: IncidentCreate) {
      const row = await mustFind(ctx, id);
      const now = Date.now();
      const incident = {
        id: newId("inc", now),
        status_page_id: id,
        title: input.title,
        body: input.body,
        severity: input.severity,
        started_at: input.startedAt ? Date.parse(input.startedAt) : now,
        resolved_at: input.resolvedAt ? Date.parse(input.resolvedAt) : null,
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertIncident(trx, incident);
        await audit(trx, ctx, row, "incident", { after: input });
      });
      deps.changed(row.slug);
      return toIncident(incident);
    },

    async updateIncident(ctx: Ctx, id: string, incidentId: string, input: IncidentUpdate) {
      const row = await mustFind(ctx, id);
      const found = await repo.findIncident(k, id, incidentId);
      if (!found) throw notFound(`incident ${incidentId}`);
      const set = {
        ...(input.title ? { title: input.title } : {}),
        ...(input.body === undefined ? {} : { body: input.body }),
        ...(input.severity ? { severity: input.severity } : {}),
        ...(input.startedAt ? { started_at: Date.parse(input.startedAt) } : {}),
        ...(input.resolvedAt === undefined
          ? {}
          : { resolved_at: input.resolvedAt === null ? null : Date.parse(input.resolvedAt) }),
        updated_at: Date.now(),
      };
      await k.transaction().execute(async (trx) => {
        await repo.updateIncident(trx, incidentId, set);
        await audit(trx, ctx, row, "incident", { before: toIncident(found), after: input });
      });
      deps.changed(row.slug);
      return toIncident({ ...found, ...set });
    },

    async removeIncident(ctx: Ctx, id: string, incidentId: string) {
      const row = await mustFind(ctx, id);
      const found = await repo.findIncident(k, id, incidentId);
      if (!found) throw notFound(`incident ${incidentId}`);
      await k.transaction().execute(async (trx) => {
        await repo.deleteIncident(trx, incidentId);
        await audit(trx, ctx, row, "incident", { before: toIncident(found), after: null });
      });
      deps.changed(row.slug);
    },
  };
}

export type StatusPagesService = ReturnType<typeof createStatusPagesService>;
