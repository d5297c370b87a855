// A mail domain's mailboxes and aliases (docs/mail.md): each change checked (an address is a
// mailbox or an alias, never both; a catch-all once per domain), audited without any password,
// and applied by the domain's task (service.ts `commit`). Passwords are hashed here
// (password.ts) and only the hash is kept.
import type {
  MailAliasCreate,
  MailboxCreate,
  MailboxMode,
  MailboxUpdate,
} from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { mailDomains } from "../../access/policies/mail.ts";
import type { Ctx } from "../../access/types.ts";
import type { Database } from "../../db/schema.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { hashMailPassword } from "./password.ts";
import * as repo from "./repo.ts";
import type { Commit, MustFind } from "./service.ts";
import { forgetMailboxUsage } from "./usage-repo.ts";

type Page = { limit: number; cursor?: string };

/** A thing of a domain the caller may manage; not visible and not existing look the same. */
async function managedDomainOf(
  k: Kysely<Database>,
  ctx: Ctx,
  domainId: string | undefined,
  what: string,
) {
  const domain = domainId ? await repo.findDomain(k, domainId) : undefined;
  if (!domain || !mailDomains.canRead(ctx, domain).allowed) throw notFound(what);
  enforce(ctx, mailDomains.canManage(ctx, domain));
  return domain;
}

/** A mailbox the caller may manage, with its domain (autoresponders.ts too). */
export async function managedMailbox(k: Kysely<Database>, ctx: Ctx, id: string) {
  const box = await repo.findMailbox(k, id);
  return { box, domain: await managedDomainOf(k, ctx, box?.domain_id, `mailbox ${id}`) } as {
    box: repo.MailboxRow;
    domain: repo.DomainRow;
  };
}

export function createMailboxesService(deps: {
  k: Kysely<Database>;
  mustFind: MustFind;
  commit: Commit;
}) {
  const { k, mustFind, commit } = deps;

  const domainOf = (ctx: Ctx, domainId: string | undefined, what: string) =>
    managedDomainOf(k, ctx, domainId, what);
  const mailboxOf = (ctx: Ctx, id: string) => managedMailbox(k, ctx, id);

  async function refuseTaken(trx: Kysely<Database>, address: string, field: string) {
    const taken = await repo.addressTaken(trx, address);
    if (taken) throw conflict(`${address} is already ${taken}`, field);
  }

  const boxAnswer = async (id: string, taskId: string) => {
    const row = await repo.findMailbox(k, id);
    if (!row) throw notFound(`mailbox ${id}`);
    return { ...repo.toMailbox(row), taskId };
  };

  return {
    async mailboxes(ctx: Ctx, domainId: string, f: Page) {
      await mustFind(ctx, domainId);
      return repo.listMailboxes(k, domainId, {
        limit: f.limit,
        walk: repo.mailboxOrder(undefined, f.cursor),
      });
    },

    async createMailbox(
      ctx: Ctx,
      domainId: string,
      given: Omit<MailboxCreate, "mode"> & { mode?: MailboxMode },
    ) {
      const input = { ...given, mode: given.mode ?? "both" };
      const domain = await mustFind(ctx, domainId, mailDomains.canManage);
      const address = `${input.localPart}@${domain.name}`;
      const hash = await hashMailPassword(input.password);
      const id = newId("mbx");
      const now = Date.now();
      const taskId = await commit(
        ctx,
        domain,
        {
          action: "mail.mailbox.create",
          targetType: "mailbox",
          targetId: id,
          diff: {
            after: { address, quotaMb: input.quotaMb, enabled: input.enabled, mode: input.mode },
          },
        },
        async (trx) => {
          await refuseTaken(trx, address, "localPart");
          await repo.insertMailbox(trx, {
            id,
            domain_id: domain.id,
            account_id: domain.account_id,
            address,
            password_hash: hash,
            quota_mb: input.quotaMb,
            enabled: input.enabled ? 1 : 0,
            mode: input.mode,
            created_at: now,
            updated_at: now,
          });
        },
      );
      return boxAnswer(id, taskId);
    },

    async updateMailbox(ctx: Ctx, id: string, input: MailboxUpdate) {
      const { box, domain } = await mailboxOf(ctx, id);
      const before = {
        quotaMb: Number(box.quota_mb),
        enabled: Number(box.enabled) === 1,
        mode: box.mode,
      };
      const taskId = await commit(
        ctx,
        domain,
        {
          action: "mail.mailbox.update",
          targetType: "mailbox",
          targetId: id,
          diff: { before, after: input },
        },
        async (trx) => {
          await repo.updateMailbox(trx, id, {
            ...(input.quotaMb !== undefined ? { quota_mb: input.quotaMb } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
            ...(input.mode !== undefined ? { mode: input.mode } : {}),
          });
        },
      );
      return boxAnswer(id, taskId);
    },

    async setMailboxPassword(ctx: Ctx, id: string, input: { password: string }) {
      const { domain } = await mailboxOf(ctx, id);
      const hash = await hashMailPassword(input.password);
      const taskId = await commit(
        ctx,
        domain,
        { action: "mail.mailbox.password", targetType: "mailbox", targetId: id, diff: {} },
        async (trx) => {
          await repo.updateMailbox(trx, id, { password_hash: hash });
        },
      );
      return boxAnswer(id, taskId);
    },

    async removeMailbox(ctx: Ctx, id: string) {
      const { box, domain } = await mailboxOf(ctx, id);
      const taskId = await commit(
        ctx,
        domain,
        {
          action: "mail.mailbox.delete",
          targetType: "mailbox",
          targetId: id,
          diff: { before: { address: box.address } },
        },
        async (trx) => {
          await repo.deleteMailbox(trx, id);
          await forgetMailboxUsage(trx, id);
        },
      );
      return { ...repo.toMailbox(box), taskId };
    },

    async aliases(ctx: Ctx, domainId: string, f: Page) {
      await mustFind(ctx, domainId);
      return repo.listAliases(k, domainId, {
        limit: f.limit,
        walk: repo.aliasOrder(undefined, f.cursor),
      });
    },

    async createAlias(ctx: Ctx, domainId: string, input: MailAliasCreate) {
      const domain = await mustFind(ctx, domainId, mailDomains.canManage);
      const source = input.catchAll ? `@${domain.name}` : `${input.localPart}@${domain.name}`;
      const id = newId("mal");
      const taskId = await commit(
        ctx,
        domain,
        {
          action: "mail.alias.create",
          targetType: "mail_alias",
          targetId: id,
          diff: { after: { source, destinations: input.destinations } },
        },
        async (trx) => {
          await refuseTaken(trx, source, input.catchAll ? "catchAll" : "localPart");
          await repo.insertAlias(trx, {
            id,
            domain_id: domain.id,
            account_id: domain.account_id,
            source,
            destinations: JSON.stringify([...new Set(input.destinations)]),
            created_at: Date.now(),
          });
        },
      );
      const row = await repo.findAlias(k, id);
      if (!row) throw notFound(`mail alias ${id}`);
      return { ...repo.toAlias(row), taskId };
    },

    async removeAlias(ctx: Ctx, id: string) {
      const found = await repo.findAlias(k, id);
      const domain = await domainOf(ctx, found?.domain_id, `mail alias ${id}`);
      const alias = found as repo.AliasRow;
      const taskId = await commit(
        ctx,
        domain,
        {
          action: "mail.alias.delete",
          targetType: "mail_alias",
          targetId: id,
          diff: { before: { source: alias.source } },
        },
        async (trx) => {
          await repo.deleteAlias(trx, id);
        },
      );
      return { ...repo.toAlias(alias), taskId };
    },
  };
}
