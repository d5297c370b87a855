// Virus scanning per mail domain (docs/mail.md#viruses): ClamAV through rspamd's antivirus
// module, desired state like the rest of mail (audited, applied by the domain's mail.apply
// task). `reject` needs rspamd and clamd on the node: its facts must list both installed.
import type { MailApplyInput } from "@steward/contracts/agent";
import type { MailVirusSettings } from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import { mailDomains } from "../../access/policies/mail.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { findNode } from "../nodes/repo.ts";
import { factsOf } from "../nodes/view.ts";
import * as repo from "./repo.ts";
import type { Commit, MustFind } from "./service.ts";

/** mail.apply's `virus`: the node's domains whose mail is scanned. */
export const virusDomains = (served: readonly repo.DomainRow[]): MailApplyInput["virus"] =>
  served.filter((d) => d.virus_filter === "reject").map((d) => d.name);

/** Whether the node's last facts list rspamd and clamd installed (rspamd asks clamd). */
export async function nodeHasClamd(k: Kysely<Database>, nodeId: string) {
  const node = await findNode(k, nodeId);
  const services = (node ? factsOf(node) : null)?.services ?? [];
  const has = (name: string) => services.some((s) => s.name === name && s.installed);
  return has("rspamd") && has("clamd");
}

export function createVirusService(d: { k: Kysely<Database>; mustFind: MustFind; commit: Commit }) {
  return {
    /** Sets the domain's virus scanning; applied on its node at once. */
    async setVirus(ctx: Ctx, id: string, input: MailVirusSettings) {
      const domain = await d.mustFind(ctx, id, mailDomains.canManage);
      if (input.virusFilter !== "off" && !(await nodeHasClamd(d.k, domain.node_id)))
        throw invalid(
          "body.virusFilter",
          "the domain's node has no virus scanner (its facts do not list rspamd and clamd): only off is possible",
        );
      const taskId = await d.commit(
        ctx,
        domain,
        {
          action: "mail.domain.virus",
          targetType: "mail_domain",
          targetId: id,
          diff: { before: { virusFilter: domain.virus_filter }, after: input },
        },
        async (trx) => {
          await repo.updateDomain(trx, id, { virus_filter: input.virusFilter });
        },
      );
      const row = await repo.findDomain(d.k, id);
      if (!row) throw notFound(`mail domain ${id}`);
      return { ...(await repo.domainItem(d.k, row)), taskId };
    },
  };
}
