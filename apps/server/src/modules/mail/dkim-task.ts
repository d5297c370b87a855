// The task that makes a node's DKIM keys as they stand in the panel (docs/mail.md#dkim-spf-
// and-dmarc): the node's whole DKIM state (each served domain's signing key and the one
// before it, still published) through mail.dkim, one at a time per node; the public parts the
// node answers are stored, and each domain's records (SPF, DKIM, DMARC, MX) are set in the
// zone Steward manages for it. Older keys are dropped from the node and the panel.
import type { MailDkimInput, MailDkimOutput } from "@steward/contracts/agent";
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import type { CallOperation } from "../certificates/issue.ts";
import { syncMailRecords } from "../dns/mail-records.ts";
import { wantedRecords } from "./dkim-records.ts";
import * as dkimRepo from "./dkim-repo.ts";
import * as repo from "./repo.ts";
import { enqueueForDomain } from "./tasks.ts";

export const MAIL_DKIM = "mail.dkim";

const payload = z.strictObject({ domainId: z.string(), nodeId: z.string() });

export interface MailDkimTaskDeps {
  db: Db;
  call: CallOperation;
  engine: () => Engine;
}

/**
 * The keys a node should hold: for each domain it serves, the newest key (signing) and the
 * newest one before it that the node made (still published); `drop`: every other key row.
 */
export async function nodeDkimState(db: Kysely<Database>, nodeId: string) {
  const domains = (await repo.domainsOfNode(db, nodeId)).filter((d) => d.status !== "deleting");
  const keys = await dkimRepo.keysOfDomains(
    db,
    domains.map((d) => d.id),
  );
  const kept: { row: dkimRepo.DkimKeyRow; domain: string; sign: boolean }[] = [];
  const drop: string[] = [];
  for (const d of domains) {
    const mine = keys.filter((k) => k.domain_id === d.id);
    const signing = mine[0];
    const previous = mine.slice(1).find((k) => k.public_key !== null);
    for (const k of mine) {
      if (k === signing) kept.push({ row: k, domain: d.name, sign: true });
      else if (k === previous) kept.push({ row: k, domain: d.name, sign: false });
      else drop.push(k.id);
    }
  }
  const input: MailDkimInput = {
    keys: kept.map((k) => ({ domain: k.domain, selector: k.row.selector, sign: k.sign })),
  };
  return { domains, kept, drop, input };
}

export function mailDkimTask(deps: MailDkimTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  return {
    kind: MAIL_DKIM,
    description:
      "makes a node's DKIM keys (OpenDKIM) and the mail domains' DNS records as they stand",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `mail:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { nodeId } = ctx.task.payload;
      const { domains, kept, drop, input } = await nodeDkimState(k, nodeId);
      ctx.log.info(
        `the node's DKIM keys: ${input.keys.map((x) => `${x.selector}._domainkey.${x.domain}${x.sign ? " (signs)" : ""}`).join(", ") || "none"}`,
      );
      const pending = kept.filter((x) => x.row.status !== "active" && x.row.status !== "retired");
      const fail = async (message: string, last: boolean) => {
        for (const x of pending)
          await dkimRepo.updateKey(k, x.row.id, {
            last_error: message,
            ...(last ? { status: "failed" as const } : {}),
          });
      };
      let result: Awaited<ReturnType<CallOperation>>;
      try {
        result = await deps.call(nodeId, "mail.dkim", input, {
          signal: ctx.signal,
          onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
          requestId: ctx.task.id,
        });
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
      const output = result.output as MailDkimOutput;
      await k.transaction().execute(async (trx) => {
        for (const x of kept) {
          const got = output.keys.find(
            (o) => o.domain === x.domain && o.selector === x.row.selector,
          );
          await dkimRepo.updateKey(trx, x.row.id, {
            public_key: got?.publicKey ?? x.row.public_key,
            status: x.sign ? "active" : "retired",
            last_error: null,
          });
        }
        await dkimRepo.deleteKeys(trx, drop);
        for (const d of domains) {
          const keys = kept.filter((x) => x.row.domain_id === d.id);
          if (!keys.length) continue;
          const published = keys.map((x) => ({
            selector: x.row.selector,
            publicKey:
              output.keys.find((o) => o.domain === d.name && o.selector === x.row.selector)
                ?.publicKey ?? "",
          }));
          const synced = await syncMailRecords(
            deps.engine(),
            trx,
            d.account_id,
            d.name,
            await wantedRecords(trx, d, published, await dkimRepo.policyOf(trx, d.id)),
            await dkimRepo.madeRecords(trx, d.id),
          );
          await dkimRepo.setMadeRecords(trx, d.id, synced.made);
          ctx.log.info(
            synced.zoneId
              ? `${d.name}: records set in its zone (${synced.made.length} of Steward's)`
              : `${d.name}: no zone of its account here: its records are to copy`,
          );
        }
      });
      ctx.log.info(result.changed ? "the node's keys changed" : "the node's keys were already so");
      return { changed: result.changed, output: result.output ?? null };
    },
  };
}

/** Enqueues the node's DKIM task (a task still waiting is brought forward and reused). */
export const enqueueMailDkim = (
  engine: Engine,
  trx: Kysely<Database>,
  domain: { id: string; account_id: string; node_id: string },
) => enqueueForDomain(engine, trx, MAIL_DKIM, domain);

export function registerMailDkimTask(registry: Registry, deps: MailDkimTaskDeps) {
  registry.register(mailDkimTask(deps));
}
