// A mailbox's autoresponder (docs/mail.md#autoresponders): set or removed as one value, audited
// (subject, days and dates; the body's length, not its text), and applied by the domain's task:
// the node writes the mailbox's Sieve vacation script and compiles it before use.
import type { Autoresponder } from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { notFound } from "../../lib/errors.ts";
import { managedMailbox } from "./mailboxes.ts";
import * as repo from "./repo.ts";
import type { Commit } from "./service.ts";

const audited = (a: Autoresponder | null) =>
  a && { subject: a.subject, bodyChars: a.body.length, start: a.start, end: a.end, days: a.days };

export function createAutoresponderService(deps: { k: Kysely<Database>; commit: Commit }) {
  const { k, commit } = deps;

  async function change(ctx: Ctx, id: string, next: Autoresponder | null) {
    const { box, domain } = await managedMailbox(k, ctx, id);
    const taskId = await commit(
      ctx,
      domain,
      {
        action: next ? "mail.mailbox.autoresponder.set" : "mail.mailbox.autoresponder.delete",
        targetType: "mailbox",
        targetId: id,
        diff: { before: audited(repo.autoresponderOf(box)), after: audited(next) },
      },
      async (trx) => {
        await repo.updateMailbox(trx, id, { autoresponder: next && JSON.stringify(next) });
      },
    );
    const row = await repo.findMailbox(k, id);
    if (!row) throw notFound(`mailbox ${id}`);
    return { ...repo.toMailbox(row), taskId };
  }

  return {
    setAutoresponder: (ctx: Ctx, id: string, input: Autoresponder) => change(ctx, id, input),
    removeAutoresponder: (ctx: Ctx, id: string) => change(ctx, id, null),
  };
}
