// Mailboxes' usage (docs/mail.md#usage): the recurring system task `mail.usage` (every 15
// minutes by default) asks each node that serves mail what Steward's mailboxes hold (the
// agent's mail.usage: Dovecot's quota count) and keeps it on each mailbox and as an hourly
// history of 30 days; a node that cannot be reached is logged and skipped, the others sampled.
// The API answers a mailbox's usage with its history, and an account's total with its days.
import type { MailUsageOutput } from "@steward/contracts/agent";
import type { AccountMailUsage, MailboxUsageAnswer } from "@steward/contracts/mail";
import { z } from "zod";
import { mailDomains } from "../../access/policies/mail.ts";
import type { Ctx } from "../../access/types.ts";
import type { Db } from "../../db/open.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { notFound } from "../../lib/errors.ts";
import { findAccount } from "../accounts/repo.ts";
import type { CallOperation } from "../certificates/issue.ts";
import { daysSince } from "../databases/sizes.ts";
import * as repo from "./repo.ts";
import * as usage from "./usage-repo.ts";

export const MAIL_USAGE = "mail.usage";
const none = z.strictObject({});
const DAY = 86_400_000;
/** how long the hourly history is kept */
export const USAGE_DAYS = 30;
const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** One node's sampling: its mailboxes' usage, recorded; answers how many were sampled. */
async function sampleNode(deps: { db: Db; call: CallOperation }, nodeId: string, opts: Opts) {
  const k = deps.db.db;
  const domains = (await repo.domainsOfNode(k, nodeId)).filter((d) => d.status !== "deleting");
  const { mailboxes } = await repo.contentsOf(
    k,
    domains.map((d) => d.id),
  );
  if (!mailboxes.length) return 0;
  const result = await deps.call(nodeId, "mail.usage", {}, opts);
  if (result.status !== "ok")
    throw new Error(result.error?.message ?? `the node answered ${result.status}`);
  const found = new Map(
    ((result.output as MailUsageOutput | undefined)?.mailboxes ?? []).map((u) => [u.address, u]),
  );
  const samples = mailboxes.flatMap((m) => {
    const u = found.get(m.address);
    return u
      ? [
          {
            id: m.id,
            accountId: m.account_id,
            bytes: u.bytes,
            messages: u.messages,
            limitBytes: u.limitBytes,
          },
        ]
      : [];
  });
  await usage.recordUsage(k, samples, Date.now());
  return samples.length;
}

type Opts = Parameters<CallOperation>[3];

export function mailUsageTask(deps: { db: Db; call: CallOperation }): HandlerDef<typeof none> {
  return {
    kind: MAIL_USAGE,
    description:
      "asks every node that serves mail what its mailboxes hold and keeps it with an hourly history",
    payload: none,
    timeoutMs: 15 * 60_000,
    maxAttempts: 1,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      let sampled = 0;
      let failed = 0;
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      for (const nodeId of await repo.mailNodeIds(deps.db.db)) {
        ctx.signal.throwIfAborted();
        try {
          sampled += await sampleNode(deps, nodeId, opts);
        } catch (error) {
          failed += 1;
          ctx.log.warn(`${nodeId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const pruned = await usage.pruneUsage(deps.db.db, Date.now() - USAGE_DAYS * DAY);
      ctx.log.info(
        `sampled ${sampled} mailbox(es); ${failed} node(s) not reached; ${pruned} old point(s) pruned`,
      );
      return { sampled, failed, pruned };
    },
  };
}

export function createUsageService(deps: { db: Db }) {
  const k = deps.db.db;
  return {
    /** A mailbox's usage now and its history (its domain's readers; others: not found). */
    async mailboxUsage(ctx: Ctx, id: string): Promise<MailboxUsageAnswer> {
      const box = await repo.findMailbox(k, id);
      const domain = box ? await repo.findDomain(k, box.domain_id) : undefined;
      if (!box || !domain || !mailDomains.canRead(ctx, domain).allowed)
        throw notFound(`mailbox ${id}`);
      const points = await usage.historyOf(k, id, Date.now() - USAGE_DAYS * DAY);
      return {
        mailboxId: box.id,
        address: box.address,
        current: repo.toMailbox(box).usage,
        history: points.map((p) => ({
          at: iso(p.at),
          bytes: Number(p.bytes),
          messages: Number(p.messages),
        })),
      };
    },

    /**
     * An account's mailboxes together, now and per UTC day over the last 30 days (its readers;
     * others are told it does not exist).
     */
    async accountUsage(ctx: Ctx, accountId: string): Promise<AccountMailUsage> {
      const account = await findAccount(k, accountId);
      if (!account || !mailDomains.canReadUsageIn(ctx, account.id).allowed)
        throw notFound(`account ${accountId}`);
      const total = await usage.accountUsage(k, account.id);
      const days = await usage.accountDays(k, account.id, daysSince(Date.now(), USAGE_DAYS));
      return {
        accountId: account.id,
        mailboxes: total.mailboxes,
        bytes: total.bytes,
        messages: total.messages,
        sampledAt: total.at === null ? null : iso(total.at),
        days: days.map((d) => ({
          day: iso(d.day).slice(0, 10),
          bytes: Number(d.bytes),
          messages: Number(d.messages),
          mailboxes: Number(d.mailboxes),
        })),
      };
    },
  };
}
