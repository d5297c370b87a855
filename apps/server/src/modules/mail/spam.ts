// Spam filtering per mail domain (docs/mail.md#spam): the domain's rspamd mode and the days
// Junk keeps a message, desired state like the rest of mail (audited, applied by the
// domain's mail.apply task). A mode other than off needs rspamd on the node: its facts
// (the agent's report) must list it installed.
import type { MailApplyInput } from "@steward/contracts/agent";
import type { MailSpamSettings } from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import { mailDomains } from "../../access/policies/mail.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { findNode } from "../nodes/repo.ts";
import { factsOf } from "../nodes/view.ts";
import * as repo from "./repo.ts";
import type { Commit, MustFind } from "./service.ts";

/** mail.apply's `spam`: the node's filtered domains and their modes. */
export const spamFilters = (served: readonly repo.DomainRow[]): MailApplyInput["spam"] =>
  served.flatMap((d) =>
    d.spam_filter === "off" ? [] : [{ domain: d.name, filter: d.spam_filter }],
  );

/** Whether the node's last facts list rspamd installed. */
export async function nodeHasRspamd(k: Kysely<Database>, nodeId: string) {
  const node = await findNode(k, nodeId);
  const facts = node ? factsOf(node) : null;
  return facts?.services.some((s) => s.name === "rspamd" && s.installed) ?? false;
}

export function createSpamService(d: { k: Kysely<Database>; mustFind: MustFind; commit: Commit }) {
  return {
    /** Sets the domain's spam filter and Junk retention; applied on its node at once. */
    async setSpam(ctx: Ctx, id: string, input: MailSpamSettings) {
      const domain = await d.mustFind(ctx, id, mailDomains.canManage);
      if (input.spamFilter !== "off" && !(await nodeHasRspamd(d.k, domain.node_id)))
        throw invalid(
          "body.spamFilter",
          "the domain's node has no rspamd (its facts do not list it): only off is possible",
        );
      const before = { spamFilter: domain.spam_filter, junkDays: Number(domain.junk_days) };
      const taskId = await d.commit(
        ctx,
        domain,
        {
          action: "mail.domain.spam",
          targetType: "mail_domain",
          targetId: id,
          diff: { before, after: input },
        },
        async (trx) => {
          await repo.updateDomain(trx, id, {
            spam_filter: input.spamFilter,
            junk_days: input.junkDays,
          });
        },
      );
      const row = await repo.findDomain(d.k, id);
      if (!row) throw notFound(`mail domain ${id}`);
      return { ...(await repo.domainItem(d.k, row)), taskId };
    },
  };
}
