// Tools on a CMS site (issue 17, docs/cms.md#tools): on Joomla sites through the Panopticon
// connector (Admin Tools, Akeeba Backup), on WordPress sites through the Steward connector (the
// scanner, the login lockout, temporary administrators removed by a task at expiry): the seed's self-service role (operators) takes backups, runs the file change
// scanner and unblocks IPs; admins switch the firewall off and on, create a temporary Super
// User, download and delete backups; readers see scans and backups. Every change audited (a
// temporary Super User's password answered once, never recorded). The site's own errors come
// back as a 409 naming the site's answer, never another account's anything.
import { CMS_SCAN_PAGE } from "@steward/contracts";
import type { OutboundPolicy } from "@steward/contracts/net";
import { enforce } from "../../access/decision.ts";
import { cmsSites } from "../../access/policies/cms-sites.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { AppError, conflict, notFound } from "../../lib/errors.ts";
import type { Resolve } from "../../lib/outbound.ts";
import { taskCreator } from "../tasks/service.ts";
import * as repo from "./repo.ts";
import * as akeeba from "./tools-akeeba.ts";
import * as joomla from "./tools-joomla.ts";
import { CMS_BACKUP, CMS_SCAN, CMS_TEMPORARY_ADMIN_EXPIRY } from "./tools-tasks.ts";
import * as wordpress from "./tools-wordpress.ts";
import type { WpTarget } from "./wordpress.ts";

interface Deps {
  db: Db;
  secrets: Secrets;
  engine: Engine;
  policy: () => OutboundPolicy;
  resolve?: Resolve;
}

export function createCmsTools({ db, secrets, engine, policy, resolve }: Deps) {
  const k = db.db;
  const options = () => ({ policy: policy(), resolve });

  /**
   * The site (404 unless the caller may read it), the decision enforced, and the tools of its
   * kind; `joomlaOnly` names a tool WordPress sites do not have (a 409 saying why).
   */
  async function site(
    ctx: Ctx,
    id: string,
    decide: (ctx: Ctx, s: repo.CmsSiteRow) => ReturnType<typeof cmsSites.canRead>,
    joomlaOnly?: string,
  ) {
    const row = await repo.findSite(k, id);
    if (!row || !cmsSites.canRead(ctx, row).allowed) throw notFound(`CMS site ${id}`);
    enforce(ctx, decide(ctx, row));
    if (joomlaOnly && row.kind !== "joomla") throw conflict(joomlaOnly, "id");
    const target: WpTarget = {
      url: row.url,
      username: row.username,
      password: secrets.open(row.secret_enc),
    };
    return { row, target, tools: row.kind === "joomla" ? joomla : wordpress };
  }
  const NO_FIREWALL =
    "a WordPress site has no firewall component to switch off: the Steward connector keeps only a login lockout (unblock an address instead)";
  const NO_AKEEBA = "Akeeba Backup is a Joomla tool: a WordPress site has no Akeeba Backup API";

  /** The site's call, its refusal a 409 in words. */
  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AppError || !(error instanceof Error)) throw error;
      throw conflict(`the site: ${error.message}`);
    }
  }

  const audit = (ctx: Ctx, row: repo.CmsSiteRow, action: string, diff: unknown) =>
    recordAudit(k, ctx, {
      action,
      targetType: "cms_site",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  /** A tool's task on the site, audited with it (`action`, `diff` the audit's when not the task's). */
  const enqueue = async (
    ctx: Ctx,
    row: repo.CmsSiteRow,
    kind: string,
    payload: Record<string, unknown>,
    extra: { runAt?: number; action?: string; diff?: Record<string, unknown> } = {},
  ) => {
    const { task } = await k.transaction().execute(async (trx) => {
      const made = await engine.enqueue(
        {
          kind,
          payload: { siteId: row.id, ...payload },
          target: { type: "cms_site", id: row.id },
          accountId: row.account_id,
          priority: 2,
          ...(extra.runAt === undefined ? {} : { runAt: extra.runAt }),
          onSuccess: "disable",
          createdBy: taskCreator(ctx),
        },
        trx,
      );
      await recordAudit(trx, ctx, {
        action: extra.action ?? `cms_site.${kind.slice(4)}`,
        targetType: "cms_site",
        targetId: row.id,
        accountId: row.account_id,
        diff: { ...(extra.diff ?? payload), taskId: made.task.id },
      });
      return made;
    });
    return { taskId: task.id };
  };

  return {
    async unblock(ctx: Ctx, id: string, ip: string) {
      const { row, target, tools } = await site(ctx, id, cmsSites.canUseTools);
      await call(() => tools.unblockIp(target, options(), ip));
      await audit(ctx, row, "cms_site.unblock", { ip });
    },

    async scan(ctx: Ctx, id: string) {
      const { row } = await site(ctx, id, cmsSites.canUseTools);
      return enqueue(ctx, row, CMS_SCAN, {});
    },

    async scans(ctx: Ctx, id: string, offset: number) {
      const { target, tools } = await site(ctx, id, cmsSites.canRead);
      return {
        items: await call(() => tools.listScans(target, options(), offset, CMS_SCAN_PAGE)),
      };
    },

    async scanAlerts(ctx: Ctx, id: string, scanId: number, offset: number) {
      const { target, tools } = await site(ctx, id, cmsSites.canRead);
      return {
        items: await call(() =>
          tools.listScanAlerts(target, options(), scanId, offset, CMS_SCAN_PAGE),
        ),
      };
    },

    async scanAlert(ctx: Ctx, id: string, alertId: number) {
      const { target, tools } = await site(ctx, id, cmsSites.canRead);
      return call(() => tools.scanAlert(target, options(), alertId));
    },

    async firewall(ctx: Ctx, id: string, enabled: boolean) {
      const { row, target } = await site(ctx, id, cmsSites.canManage, NO_FIREWALL);
      await call(() => joomla.setFirewall(target, options(), enabled));
      await audit(ctx, row, "cms_site.firewall", { enabled });
      return { enabled };
    },

    async temporaryAdmin(ctx: Ctx, id: string, expiresAt: string) {
      const { row, target, tools } = await site(ctx, id, cmsSites.canManage);
      const made = await call(() => tools.temporarySuperUser(target, options(), expiresAt));
      if (row.kind === "joomla") {
        await audit(ctx, row, "cms_site.temporary_admin", { username: made.username, expiresAt });
      } else {
        // WordPress: a task removes the user at its expiry (Admin Tools does it itself on Joomla)
        await enqueue(
          ctx,
          row,
          CMS_TEMPORARY_ADMIN_EXPIRY,
          { username: made.username },
          {
            runAt: Date.parse(expiresAt),
            action: "cms_site.temporary_admin",
            diff: { username: made.username, expiresAt },
          },
        );
      }
      return { username: made.username, password: made.password, expiresAt };
    },

    async backups(ctx: Ctx, id: string) {
      const { target } = await site(ctx, id, cmsSites.canRead, NO_AKEEBA);
      return call(() => akeeba.listBackups(target, options()));
    },

    async takeBackup(
      ctx: Ctx,
      id: string,
      request: { profile: number; description?: string | undefined },
    ) {
      const { row } = await site(ctx, id, cmsSites.canUseTools, NO_AKEEBA);
      return enqueue(ctx, row, CMS_BACKUP, {
        profile: request.profile,
        description: request.description ?? "Taken by Steward",
      });
    },

    async deleteBackup(ctx: Ctx, id: string, record: number, what: "files" | "record") {
      const { row, target } = await site(ctx, id, cmsSites.canManage, NO_AKEEBA);
      await call(() => akeeba.deleteBackup(target, options(), record, what));
      await audit(
        ctx,
        row,
        what === "files" ? "cms_site.backup_delete_files" : "cms_site.backup_delete",
        { record },
      );
    },

    /** The archive's name and its bytes as they arrive (checked to exist before the answer starts). */
    async download(ctx: Ctx, id: string, record: number) {
      const { row, target } = await site(ctx, id, cmsSites.canManage, NO_AKEEBA);
      const found = (await call(() => akeeba.listBackups(target, options()))).records.find(
        (r) => r.id === record,
      );
      if (!found?.filesExist) throw notFound(`backup record ${record} with its files`);
      await audit(ctx, row, "cms_site.backup_download", { record });
      return {
        name: found.archive || `backup-${record}.jpa`,
        size: found.size,
        bytes: akeeba.downloadBackup(target, options(), record, found.size),
      };
    },
  };
}

export type CmsTools = ReturnType<typeof createCmsTools>;
