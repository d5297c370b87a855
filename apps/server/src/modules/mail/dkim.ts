// DKIM, SPF and DMARC of a mail domain (docs/mail.md#dkim-spf-and-dmarc): its key (the public
// part; the node makes the key and keeps the private part), rotation to a new selector (the
// previous key stays published until the next one), the records it needs (set in the zone
// Steward manages for the account, else shown to copy), and a live check of them through the
// panel's resolver (the operator's setting, never the caller's: the only outbound target).
import { Resolver } from "node:dns/promises";
import {
  type MailDkimAnswer,
  type MailDnsCheckAnswer,
  type MailDnsPolicy,
  type MailDnsRecord,
  type mailDkimRotate,
  nextSelector,
} from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { mailDomains } from "../../access/policies/mail.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { mailZone, removeMade } from "../dns/mail-records.ts";
import { describeRecords, wantedRecords } from "./dkim-records.ts";
import * as dkimRepo from "./dkim-repo.ts";
import { enqueueMailDkim } from "./dkim-task.ts";
import { checkRecord } from "./dns-check.ts";
import * as repo from "./repo.ts";
import type { MustFind } from "./service.ts";

export function createMailDkimService(deps: {
  db: Db;
  engine: Engine;
  settings: Pick<Settings, "mailDnsResolvers">;
  mustFind: MustFind;
}) {
  const k = deps.db.db;

  async function answer(domain: repo.DomainRow): Promise<MailDkimAnswer> {
    const keys = await dkimRepo.keysOf(k, domain.id);
    const newest = keys[0];
    const published = keys
      .filter((x) => x.public_key && x.status !== "failed")
      .map((x) => ({ selector: x.selector, publicKey: x.public_key as string }));
    const zone = await mailZone(k, domain.account_id, domain.name);
    const policy = await dkimRepo.policyOf(k, domain.id);
    return {
      domainId: domain.id,
      selector: newest?.selector ?? null,
      status: newest?.status ?? null,
      publicKey: newest?.public_key ?? null,
      zoneId: zone?.id ?? null,
      records: describeRecords(domain.name, await wantedRecords(k, domain, published, policy)),
      retired: keys.filter((x) => x.status === "retired").map((x) => x.selector),
      lastError: newest?.last_error ?? null,
      taskId: newest?.task_id ?? null,
      policy: {
        spfAll: policy.spf_all,
        dmarcPolicy: policy.dmarc_policy,
        dmarcReport: policy.dmarc_report,
      },
    };
  }

  return {
    async get(ctx: Ctx, id: string) {
      return answer(await deps.mustFind(ctx, id));
    },

    /**
     * A new key under a new selector (default steward<yyyymm>), made on the node; it signs
     * from then on and the previous key stays published until the next rotation.
     */
    async rotate(ctx: Ctx, id: string, input: z.infer<typeof mailDkimRotate>) {
      const domain = await deps.mustFind(ctx, id, mailDomains.canManage);
      if (domain.status === "deleting")
        throw conflict(`mail domain ${domain.name} is being deleted`);
      const taken = (await dkimRepo.keysOf(k, id)).map((x) => x.selector);
      const selector = input.selector ?? nextSelector(new Date(), taken);
      if (taken.includes(selector))
        throw conflict(
          `the selector ${selector} was used for ${domain.name} already`,
          "body.selector",
        );
      await k.transaction().execute(async (trx) => {
        const now = Date.now();
        const keyId = newId("dkk", now);
        await dkimRepo.insertKey(trx, {
          id: keyId,
          domain_id: id,
          selector,
          public_key: null,
          status: "pending",
          last_error: null,
          task_id: null,
          created_at: now,
          updated_at: now,
        });
        await recordAudit(trx, ctx, {
          action: "mail.domain.dkim.rotate",
          targetType: "mail_domain",
          targetId: id,
          accountId: domain.account_id,
          diff: { after: { selector } },
        });
        const taskId = await enqueueMailDkim(deps.engine, trx, domain);
        await dkimRepo.updateKey(trx, keyId, { task_id: taskId });
      });
      return answer(domain);
    },

    /**
     * How the SPF and DMARC records read: SPF's `all`, DMARC's policy and the mailbox or alias
     * of the domain its reports go to; set again in the zone when DKIM is on.
     */
    async setPolicy(ctx: Ctx, id: string, input: MailDnsPolicy) {
      const domain = await deps.mustFind(ctx, id, mailDomains.canManage);
      if (domain.status === "deleting")
        throw conflict(`mail domain ${domain.name} is being deleted`);
      const before = await dkimRepo.policyOf(k, id);
      const report =
        input.dmarcReport === undefined
          ? before.dmarc_report
          : input.dmarcReport && `${input.dmarcReport}@${domain.name}`;
      if (report && report !== before.dmarc_report && !(await repo.addressTaken(k, report)))
        throw invalid("body.dmarcReport", `${report} is no mailbox or alias of the domain`);
      const after = {
        spf_all: input.spfAll ?? before.spf_all,
        dmarc_policy: input.dmarcPolicy ?? before.dmarc_policy,
        dmarc_report: report,
      };
      const keys = await dkimRepo.keysOf(k, id);
      await k.transaction().execute(async (trx) => {
        await dkimRepo.setPolicy(trx, id, after);
        await recordAudit(trx, ctx, {
          action: "mail.domain.dkim.policy",
          targetType: "mail_domain",
          targetId: id,
          accountId: domain.account_id,
          diff: { before, after },
        });
        // the records follow with the node's DKIM task (none before DKIM is on)
        if (keys.length) {
          const taskId = await enqueueMailDkim(deps.engine, trx, domain);
          if (keys[0]) await dkimRepo.updateKey(trx, keys[0].id, { task_id: taskId });
        }
      });
      return answer(domain);
    },

    /** Asks live DNS for each record the domain needs: ok, missing or wrong. */
    async dnsCheck(ctx: Ctx, id: string): Promise<MailDnsCheckAnswer> {
      const domain = await deps.mustFind(ctx, id);
      const expected = (await answer(domain)).records;
      const servers = deps.settings.mailDnsResolvers;
      const resolver = new Resolver({ timeout: 2000, tries: 1 });
      if (servers.length) resolver.setServers([...servers]);
      const records = await Promise.all(
        expected.map((r: MailDnsRecord) => checkRecord(resolver, r)),
      );
      return {
        domainId: id,
        resolver: servers.length ? servers.join(", ") : "the system's resolvers",
        records,
      };
    },
  };
}

/**
 * A removed domain (DELETE, in its transaction): the records Steward made for it leave its
 * zone, its keys leave the panel, and the node's DKIM task runs without it (its key files go).
 */
export async function removeDomainDkim(
  engine: Engine,
  trx: Kysely<Database>,
  domain: repo.DomainRow,
) {
  const keys = await dkimRepo.keysOf(trx, domain.id);
  const made = await dkimRepo.madeRecords(trx, domain.id);
  await dkimRepo.deletePolicy(trx, domain.id);
  if (!keys.length && !made.length) return;
  await removeMade(engine, trx, made);
  await dkimRepo.setMadeRecords(trx, domain.id, []);
  await dkimRepo.deleteDomainKeys(trx, domain.id);
  await enqueueMailDkim(engine, trx, domain);
}

export type MailDkimService = ReturnType<typeof createMailDkimService>;
