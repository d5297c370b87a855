// Websites: the desired state in the panel, applied to the node by a task enqueued in the
// same transaction as the change (DESIGN.md principles 1-3). One task at a time per site.
import type { SiteCreate, SiteUpdate, siteListQuery } from "@steward/contracts";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { authorize, listFilter } from "../../access/service.ts";
import type { Ctx, Target } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { checkCursor, pageOf } from "../../lib/sql.ts";
import type { TaskEngine } from "../../tasks/engine.ts";
import { ensureDefault } from "../accounts/default.ts";
import { usableNode } from "../nodes/usable.ts";
import * as repo from "./repo.ts";
import { nameRows, systemUserOf } from "./rules.ts";
import { SITE_APPLY } from "./tasks.ts";
import { checkUpstream, type UpstreamSettings } from "./upstream.ts";

const targetOf = (r: { id: string; account_id: string }): Target => ({
  kind: "resource",
  type: "site",
  id: r.id,
  accountId: r.account_id,
});

function canSee(ctx: Ctx, row: { id: string; account_id: string }): boolean {
  try {
    authorize(ctx, targetOf(row), "read");
    return true;
  } catch {
    return false;
  }
}

export function createSitesService({
  db,
  engine,
  settings,
}: {
  db: Db;
  engine: TaskEngine;
  settings: UpstreamSettings;
}) {
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string, role: "read" | "admin") {
    const row = await repo.findSite(k, id);
    // not visible and not existing look the same
    if (!row || !canSee(ctx, row)) throw notFound(`site ${id}`);
    authorize(ctx, targetOf(row), role);
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
   * unreachable agent) is brought forward, with its attempts renewed, and reused instead of a
   * second one piling up.
   */
  async function enqueueApply(trx: Kysely<Database>, row: { id: string; account_id: string }) {
    const waiting = await trx
      .selectFrom("tasks")
      .select("id")
      .where("kind", "=", SITE_APPLY)
      .where("target_type", "=", "site")
      .where("target_id", "=", row.id)
      .where("state", "=", "queued")
      .executeTakeFirst();
    let taskId = waiting?.id;
    if (taskId) {
      await trx
        .updateTable("tasks")
        .set({ run_at: Date.now(), attempts: 0, updated_at: Date.now() })
        .where("id", "=", taskId)
        .execute();
    } else {
      const t = await engine.enqueue(
        {
          kind: SITE_APPLY,
          payload: { siteId: row.id },
          target: { type: "site", id: row.id },
          accountId: row.account_id,
        },
        trx,
      );
      taskId = t.task.id;
    }
    await repo.updateSite(trx, row.id, { task_id: taskId });
    return taskId;
  }

  async function change(
    ctx: Ctx,
    id: string,
    action: string,
    set: Partial<repo.SiteRow>,
    diff: unknown,
    names?: ReturnType<typeof nameRows>,
  ) {
    const before = await mustFind(ctx, id, "admin");
    if (before.status === "deleting") throw conflict(`site ${id} is being deleted`);
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
      return enqueueApply(trx, before);
    });
    const after = await repo.findSite(k, id);
    if (!after) throw notFound(`site ${id}`);
    return { ...repo.toSite(after), taskId };
  }

  return {
    async list(ctx: Ctx, f: z.infer<typeof siteListQuery> & { limit: number; cursor?: string }) {
      const visible = listFilter(ctx, "read", {
        account: "sites.account_id",
        resource: { type: "site", id: "sites.id" },
      });
      const rows = await repo.listSites(k, visible, { ...f, cursor: checkCursor(f.cursor) });
      return pageOf(rows, f.limit, (s) => s.id);
    },

    get: async (ctx: Ctx, id: string) => repo.toSite(await mustFind(ctx, id, "read")),

    async create(ctx: Ctx, input: SiteCreate) {
      const id = newId("site");
      const names = nameRows(input);
      // before the transaction: it may ask a resolver
      if (input.upstream) await checkUpstream(k, settings, input.node, input.upstream);
      const taskId = await k.transaction().execute(async (trx) => {
        const accountId = input.account ?? (await ensureDefault(trx, ctx));
        authorize(ctx, { kind: "account", accountId }, "admin");
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
          system_user: systemUserOf(id),
          status: "pending" as const,
          last_error: null,
          task_id: null,
          created_at: now,
          updated_at: now,
        };
        await repo.insertSite(trx, row);
        await repo.setNames(trx, id, names);
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
      const before = await mustFind(ctx, id, "admin");
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
      if (next.upstream) await checkUpstream(k, settings, before.node_id, next.upstream);
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
          status: Number(before.suspended) ? "suspended" : "pending",
        },
        { before: repo.toSite(before), after: input },
        nameRows(next),
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

    async remove(ctx: Ctx, id: string, keepFiles: boolean) {
      const before = await mustFind(ctx, id, "admin");
      const taskId = await k.transaction().execute(async (trx) => {
        await repo.updateSite(trx, id, { status: "deleting", keep_files: keepFiles ? 1 : 0 });
        await recordAudit(trx, ctx, {
          action: "site.delete",
          targetType: "site",
          targetId: id,
          accountId: before.account_id,
          diff: { before: repo.toSite(before), keepFiles },
        });
        return enqueueApply(trx, before);
      });
      return { ...repo.toSite({ ...before, status: "deleting" }), taskId };
    },
  };
}
