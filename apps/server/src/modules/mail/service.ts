// Mail hosting (C12, docs/mail.md): domains of an account on a node, their mailboxes and
// aliases, as desired state in the panel; each change is audited and enqueues the domain's
// mail.apply task in the same transaction (tasks.ts), which makes the node's Postfix and
// Dovecot serve the node's whole mail state. Mailboxes and aliases: mailboxes.ts.
import type {
  MailDomainCreate,
  MailDomainUpdate,
  mailDomainListQuery,
} from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { type Decision, enforce } from "../../access/decision.ts";
import { type MailDomainRef, mailDomains } from "../../access/policies/mail.ts";
import { sites as sitePolicy } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { ensureDefault } from "../accounts/default.ts";
import { requireAccount } from "../accounts/require.ts";
import { zonesNamed } from "../dns/repo.ts";
import { usableNode } from "../nodes/usable.ts";
import { findSite, takenNames } from "../sites/repo.ts";
import { createClientSettingsService } from "./autoconfig.ts";
import { createAutoresponderService } from "./autoresponders.ts";
import { removeDomainDkim } from "./dkim.ts";
import { createMailboxesService } from "./mailboxes.ts";
import * as repo from "./repo.ts";
import { createSpamService, nodeHasRspamd } from "./spam.ts";
import { enqueueMailApply } from "./tasks.ts";
import { certificateServed, certificatesOfNode } from "./tls.ts";
import { createUsageService } from "./usage.ts";
import { createVirusService, nodeHasClamd } from "./virus.ts";

export type Trx = Kysely<Database>;

/**
 * A name another account holds, as a site's name or under one of its DNS zones, is not
 * available for mail here: said the same way whoever holds it (sites' checkNames does the same).
 */
async function heldElsewhere(trx: Kysely<Database>, name: string, accountId: string) {
  if ((await takenNames(trx, [name])).some((t) => t.account_id !== accountId)) return true;
  const labels = name.split(".");
  const above = labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
  const zones = await zonesNamed(trx, above);
  const covering = zones.sort((a, b) => b.name.length - a.name.length)[0];
  return covering !== undefined && covering.account_id !== accountId;
}

/** The domain, when the caller may see it (else not found) and `decide` allows. */
export function domainFinder(k: Kysely<Database>): MustFind {
  return async (ctx, id, decide = mailDomains.canRead) => {
    const row = await repo.findDomain(k, id);
    if (!row || !mailDomains.canRead(ctx, row).allowed) throw notFound(`mail domain ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  };
}

export function createMailService({ db, engine }: { db: Db; engine: Engine }) {
  const k = db.db;
  const mustFind = domainFinder(k);

  /** A change to a domain's contents, its audit entry and the apply task, together. */
  async function commit(
    ctx: Ctx,
    domain: repo.DomainRow,
    audit: { action: string; targetType: string; targetId: string; diff: unknown },
    change: (trx: Trx) => Promise<void>,
  ) {
    if (domain.status === "deleting") throw conflict(`mail domain ${domain.name} is being deleted`);
    return k.transaction().execute(async (trx) => {
      await change(trx);
      await repo.updateDomain(trx, domain.id, { status: "pending" });
      await recordAudit(trx, ctx, { ...audit, accountId: domain.account_id });
      return enqueueMailApply(engine, trx, domain);
    });
  }

  async function answer(id: string, taskId: string) {
    const row = await repo.findDomain(k, id);
    if (!row) throw notFound(`mail domain ${id}`);
    return { ...(await repo.domainItem(k, row)), taskId };
  }

  return {
    ...createMailboxesService({ k, mustFind, commit }),
    ...createAutoresponderService({ k, commit }),
    ...createUsageService({ db }),
    // mail clients' autoconfiguration (autoconfig.ts): public, no caller
    ...createClientSettingsService(k),
    // spam filtering and Junk retention per domain (spam.ts)
    ...createSpamService({ k, mustFind, commit }),
    // virus scanning per domain (virus.ts)
    ...createVirusService({ k, mustFind, commit }),

    async list(
      ctx: Ctx,
      f: z.infer<typeof mailDomainListQuery> & { limit: number; cursor?: string },
    ) {
      const scope = { where: mailDomains.listScope(ctx), walks: mailDomains.listWalks(ctx) };
      return repo.listDomains(k, scope, { ...f, walk: repo.domainOrder(f.sort, f.cursor) });
    },

    async get(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      const spamAvailable = await nodeHasRspamd(k, row.node_id);
      const certs = await certificatesOfNode(k, row.node_id);
      const virusAvailable = await nodeHasClamd(k, row.node_id);
      return {
        ...(await repo.domainItem(k, row)),
        spamAvailable,
        virusAvailable,
        certificateServed: certificateServed(row, certs),
      };
    },

    async create(ctx: Ctx, input: MailDomainCreate) {
      const id = newId("mdm");
      if (input.account) await requireAccount(k, input.account, "account");
      const taskId = await k.transaction().execute(async (trx) => {
        const accountId = input.account ?? (await ensureDefault(trx, ctx));
        enforce(ctx, mailDomains.canCreateIn(ctx, accountId));
        await usableNode(trx, input.node);
        if (await repo.findDomainByName(trx, input.name))
          throw conflict(`the mail domain ${input.name} is already served here`, "name");
        if (await heldElsewhere(trx, input.name, accountId))
          throw conflict(`the mail domain ${input.name} is not available`, "name");
        const now = Date.now();
        const row = {
          id,
          name: input.name,
          account_id: accountId,
          node_id: input.node,
          certificate_site_id: null,
          status: "pending" as const,
          last_error: null,
          task_id: null,
          created_at: now,
          updated_at: now,
        };
        await repo.insertDomain(trx, row);
        await recordAudit(trx, ctx, {
          action: "mail.domain.create",
          targetType: "mail_domain",
          targetId: id,
          accountId,
          diff: { after: { name: input.name, node: input.node } },
        });
        return enqueueMailApply(engine, trx, row);
      });
      return answer(id, taskId);
    },

    /**
     * Names the site whose certificate the node's Postfix and Dovecot serve (one of the
     * domain's account on the domain's node), or none; applied at once and again whenever
     * that certificate is renewed.
     */
    async update(ctx: Ctx, id: string, input: MailDomainUpdate) {
      const domain = await mustFind(ctx, id, mailDomains.canManage);
      const siteId = input.certificateSite;
      if (siteId !== null) {
        const site = await findSite(k, siteId);
        const usable =
          site &&
          sitePolicy.canRead(ctx, site).allowed &&
          site.account_id === domain.account_id &&
          site.node_id === domain.node_id;
        if (!usable)
          throw invalid(
            "body.certificateSite",
            `no site ${siteId} of the domain's account on its node`,
          );
      }
      const diff = { before: { certificateSite: domain.certificate_site_id }, after: input };
      const taskId = await commit(
        ctx,
        domain,
        { action: "mail.domain.update", targetType: "mail_domain", targetId: id, diff },
        async (trx) => {
          await repo.updateDomain(trx, id, { certificate_site_id: siteId });
        },
      );
      return answer(id, taskId);
    },

    /** Stops serving the domain; its mailboxes and aliases go with it once the node agrees. */
    async remove(ctx: Ctx, id: string) {
      const domain = await mustFind(ctx, id, mailDomains.canManage);
      const taskId = await k.transaction().execute(async (trx) => {
        await repo.updateDomain(trx, id, { status: "deleting" });
        await recordAudit(trx, ctx, {
          action: "mail.domain.delete",
          targetType: "mail_domain",
          targetId: id,
          accountId: domain.account_id,
          diff: { before: { name: domain.name } },
        });
        await removeDomainDkim(engine, trx, domain);
        return enqueueMailApply(engine, trx, domain);
      });
      return answer(id, taskId);
    },

    /** Applies the node's mail again as it stands (after a failure, or to repair the node). */
    async apply(ctx: Ctx, id: string) {
      const domain = await mustFind(ctx, id, mailDomains.canManage);
      const taskId = await commit(
        ctx,
        domain,
        { action: "mail.domain.apply", targetType: "mail_domain", targetId: id, diff: {} },
        async () => {},
      );
      return answer(id, taskId);
    },
  };
}

export type MailService = ReturnType<typeof createMailService>;
export type MustFind = (
  ctx: Ctx,
  id: string,
  decide?: (c: Ctx, d: MailDomainRef) => Decision,
) => Promise<repo.DomainRow>;
export type Commit = (
  ctx: Ctx,
  domain: repo.DomainRow,
  audit: { action: string; targetType: string; targetId: string; diff: unknown },
  change: (trx: Trx) => Promise<void>,
) => Promise<string>;
