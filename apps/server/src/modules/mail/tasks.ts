// The task that makes a node's Postfix and Dovecot serve its mail as it stands in the panel
// (docs/mail.md). One task per changed domain (its account's, its target), applying the whole
// mail state of the domain's node (mail.apply is idempotent and the node's files hold every
// domain), one at a time per node. A domain being deleted is left out and, once the node no
// longer serves it, deleted with its mailboxes and aliases.
import type { MailApplyInput, MailApplyOutput } from "@steward/contracts/agent";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../certificates/issue.ts";
import { junkExpungeTask } from "./junk-task.ts";
import * as repo from "./repo.ts";
import { spamFilters } from "./spam.ts";
import { nodeCertificates } from "./tls.ts";
import { mailUsageTask } from "./usage.ts";
import { forgetDomainUsage } from "./usage-repo.ts";
import { virusDomains } from "./virus.ts";

export const MAIL_APPLY = "mail.apply";

const payload = z.strictObject({ domainId: z.string(), nodeId: z.string() });

export interface MailTaskDeps {
  db: Db;
  call: CallOperation;
}

/** What the node's files should hold: every domain it serves that is not being deleted. */
export async function nodeMailState(db: Kysely<Database>, nodeId: string) {
  const domains = await repo.domainsOfNode(db, nodeId);
  const served = domains.filter((d) => d.status !== "deleting");
  const { mailboxes, aliases } = await repo.contentsOf(
    db,
    served.map((d) => d.id),
  );
  const input: MailApplyInput = {
    ...(await nodeCertificates(db, served)),
    domains: served.map((d) => d.name),
    mailboxes: mailboxes.map((m) => ({
      address: m.address,
      hash: m.password_hash,
      quotaMb: Number(m.quota_mb),
      enabled: Number(m.enabled) === 1,
      mode: m.mode,
      autoresponder: repo.autoresponderOf(m),
    })),
    aliases: aliases.map((a) => ({
      source: a.source,
      destinations: JSON.parse(a.destinations) as string[],
    })),
    spam: spamFilters(served),
    virus: virusDomains(served),
  };
  return { domains, input };
}

export function mailApplyTask(deps: MailTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  return {
    kind: MAIL_APPLY,
    description: "makes a node's Postfix and Dovecot serve its mail domains as they stand",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `mail:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { nodeId, domainId } = ctx.task.payload;
      const { domains, input } = await nodeMailState(k, nodeId);
      const mine = domains.find((d) => d.id === domainId);
      ctx.log.info(
        `applying the node's mail: ${input.domains.length} domains, ${input.mailboxes.length} mailboxes, ${input.aliases.length} aliases${mine?.status === "deleting" ? ` (without ${mine.name})` : ""}`,
      );
      const touched = domains.filter((d) => d.status !== "active");
      const opts = {
        signal: ctx.signal,
        onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
        requestId: ctx.task.id,
      };
      const fail = async (message: string, last: boolean) => {
        for (const d of touched)
          if (d.status !== "deleting")
            await repo.updateDomain(k, d.id, {
              last_error: message,
              ...(last ? { status: "failed" as const } : {}),
            });
      };
      let result: Awaited<ReturnType<CallOperation>>;
      try {
        result = await deps.call(nodeId, "mail.apply", input, opts);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await fail(
          message,
          ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError,
        );
        throw err;
      }
      if (result.status !== "ok") {
        const message = result.error?.message ?? `the node answered ${result.status}`;
        await fail(message, true);
        throw new PermanentError(message);
      }
      for (const d of touched) {
        if (d.status === "deleting") {
          await forgetDomainUsage(k, d.id);
          await repo.deleteDomain(k, d.id);
        } else await repo.updateDomain(k, d.id, { status: "active", last_error: null });
      }
      const output = result.output as MailApplyOutput | undefined;
      if (output?.accepted.length) ctx.log.info(`accepted at RCPT: ${output.accepted.join(", ")}`);
      if (output?.refused.length) ctx.log.info(`refused at RCPT: ${output.refused.join(", ")}`);
      if (output?.tlsSerial) ctx.log.info(`STARTTLS serves certificate ${output.tlsSerial}`);
      for (const { id, serial } of output?.sniSerials ?? [])
        ctx.log.info(`STARTTLS serves certificate ${serial} of site ${id} by SNI`);
      ctx.log.info(result.changed ? "served" : "already served: nothing changed");
      return { changed: result.changed, output: result.output ?? null };
    },
  };
}

type DomainRef = { id: string; account_id: string; node_id: string };

/** Enqueues a task of `kind` for a domain (a task still waiting is brought forward and reused). */
export async function enqueueForDomain(
  engine: Engine,
  trx: Kysely<Database>,
  kind: string,
  domain: DomainRef,
) {
  const { task } = await engine.enqueue(
    {
      kind,
      payload: { domainId: domain.id, nodeId: domain.node_id },
      target: { type: "mail_domain", id: domain.id },
      accountId: domain.account_id,
      bringForward: true,
    },
    trx,
  );
  return task.id;
}

/** Enqueues the domain's apply, the domain's latest task. */
export async function enqueueMailApply(engine: Engine, trx: Kysely<Database>, domain: DomainRef) {
  const taskId = await enqueueForDomain(engine, trx, MAIL_APPLY, domain);
  await repo.updateDomain(trx, domain.id, { task_id: taskId });
  return taskId;
}

/**
 * After a site's certificate is installed (issued, renewed or uploaded: certificates/serve.ts),
 * the mail domains serving it apply again, so Postfix and Dovecot serve the new one.
 */
export function reinstallMailCertificate(deps: { db: Db; engine: () => Engine }) {
  return async (siteId: string) => {
    const k = deps.db.db;
    for (const domain of await repo.domainsWithCertificateOf(k, siteId)) {
      if (domain.status === "deleting") continue;
      await k.transaction().execute((trx) => enqueueMailApply(deps.engine(), trx, domain));
    }
  };
}

export function registerMailTasks(registry: Registry, deps: MailTaskDeps) {
  registry.register(junkExpungeTask(deps));
  registry.register(mailApplyTask(deps));
  registry.register(mailUsageTask(deps));
}
