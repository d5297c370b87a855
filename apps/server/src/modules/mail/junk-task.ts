// The Junk retention (docs/mail.md#spam): the recurring task `mail.junk-expunge` (daily)
// walks the mail domains and asks each node to expunge, in every mailbox's Junk folder of
// its domains, what arrived more than the domain's `junk_days` ago (mail.junk.expunge). A
// node that cannot be reached is logged and skipped; the next day asks again.
import type { MailJunkExpungeOutput } from "@steward/contracts/agent";
import { z } from "zod";
import type { HandlerDef } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import type { MailTaskDeps } from "./tasks.ts";

export const MAIL_JUNK_EXPUNGE = "mail.junk-expunge";
const none = z.strictObject({});
const PAGE = 500;

export function junkExpungeTask(deps: MailTaskDeps): HandlerDef<typeof none> {
  const k = deps.db.db;
  return {
    kind: MAIL_JUNK_EXPUNGE,
    description:
      "removes from every mail domain's Junk folders the messages older than the domain's retention (30 days unless set)",
    payload: none,
    timeoutMs: 30 * 60_000,
    maxAttempts: 3,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      const byNode = new Map<string, { domain: string; days: number }[]>();
      for (let after = ""; ; ) {
        const rows = await repo.domainsAfter(k, after, PAGE);
        for (const d of rows) {
          if (d.status === "deleting") continue;
          const list = byNode.get(d.node_id) ?? [];
          list.push({ domain: d.name, days: Number(d.junk_days) });
          byNode.set(d.node_id, list);
        }
        if (rows.length < PAGE) break;
        after = rows.at(-1)?.id ?? after;
      }
      let expunged = 0;
      let failed = 0;
      for (const [nodeId, domains] of byNode) {
        ctx.signal.throwIfAborted();
        const opts = {
          signal: ctx.signal,
          onLog: (line: string, level: "info" | "warn" | "error") => ctx.log[level](line),
          requestId: ctx.task.id,
        };
        const result = await deps
          .call(nodeId, "mail.junk.expunge", { domains }, opts)
          .catch((err: Error) => ({ status: "failed", error: { message: err.message } }) as const);
        if (result.status !== "ok") {
          failed += 1;
          ctx.log.warn(`node ${nodeId}: ${result.error?.message ?? result.status}`);
          continue;
        }
        const output = (result as { output?: MailJunkExpungeOutput }).output;
        for (const e of output?.expunged ?? [])
          if (e.messages) ctx.log.info(`${e.domain}: ${e.messages} message(s) expunged from Junk`);
        expunged += (output?.expunged ?? []).reduce((n, e) => n + e.messages, 0);
      }
      ctx.log.info(
        `${expunged} message(s) expunged on ${byNode.size} node(s); ${failed} not reached`,
      );
      return { expunged, failed };
    },
  };
}
