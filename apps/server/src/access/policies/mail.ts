// Mail domains are resources of an account (C12, docs/mail.md): a grant on the domain, else on
// its account, decides. Reading a domain shows its mailboxes (addresses, quotas, usage) and
// aliases, never a password or its hash; changing any of them (mailboxes, passwords, aliases,
// delete) needs admin, as creating a domain in an account does.
import { type Decision, holds, holdsOnSomeAccount } from "../decision.ts";
import { listCover, listFilter } from "../service.ts";
import type { Ctx, Target } from "../types.ts";
import { account } from "./common.ts";

export interface MailDomainRef {
  id: string;
  account_id: string;
}

const target = (domain: MailDomainRef): Target => ({
  kind: "resource",
  type: "mail_domain",
  id: domain.id,
  accountId: domain.account_id,
});

const COLUMNS = {
  account: "mail_domains.account_id",
  resource: { type: "mail_domain", id: "mail_domains.id" },
};

export const mailDomains = {
  /** see a domain, its mailboxes and aliases; refused means "does not exist" */
  canRead: (ctx: Ctx, domain: MailDomainRef): Decision => holds(ctx, target(domain), "read"),
  /** change its mailboxes, passwords and aliases, delete it */
  canManage: (ctx: Ctx, domain: MailDomainRef): Decision => holds(ctx, target(domain), "admin"),
  /** create a mail domain in an account */
  canCreateIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "admin"),
  /** an account's mailboxes' usage together (its readers; others: "does not exist") */
  canReadUsageIn: (ctx: Ctx, accountId: string): Decision => holds(ctx, account(accountId), "read"),
  /** create a mail domain in some account (what the console offers) */
  canCreateSomewhere: (ctx: Ctx): Decision => holdsOnSomeAccount(ctx, "admin"),
  listScope: (ctx: Ctx) => listFilter(ctx, "read", COLUMNS),
  listWalks: (ctx: Ctx) => listCover(ctx, "read", COLUMNS),
};
