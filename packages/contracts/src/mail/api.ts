// The mail API (C12, docs/mail.md): /api/v1/mail/domains, a domain's mailboxes and aliases.
// A mailbox's password goes in (create, /password) and never comes out, not even hashed.
import { z } from "zod";
import { sortQuery } from "../pagination.ts";
import { id } from "../validators.ts";
import { autoresponder, mailboxMode } from "./autoresponder.ts";
import { localPart, mailAddress, mailDomain, mailPassword, quotaMb } from "./names.ts";
import { spamFilterMode } from "./spam.ts";
import { mailboxUsage } from "./usage.ts";
import { virusFilterMode } from "./virus.ts";

export const mailDomainStates = ["pending", "active", "failed", "deleting"] as const;

export const mailDomainItem = z.object({
  id: z.string(),
  /** ASCII (an internationalised name is kept as punycode) */
  name: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  /** the site whose certificate the node's Postfix and Dovecot serve (null: the node's own) */
  certificateSite: z.string().nullable(),
  status: z.enum(mailDomainStates),
  lastError: z.string().nullable(),
  mailboxes: z.number(),
  aliases: z.number(),
  /** rspamd for what arrives, and the days Junk keeps a message (spam.ts) */
  spamFilter: spamFilterMode,
  junkDays: z.number(),
  /** ClamAV (through rspamd) for what arrives: off or reject (virus.ts) */
  virusFilter: virusFilterMode,
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MailDomainItem = z.infer<typeof mailDomainItem>;
/** GET /mail/domains/{id}: the item, and whether its node can filter spam */
export const mailDomainDetail = mailDomainItem.extend({
  /** the node's facts list rspamd installed: tag and reject are possible (else only off) */
  spamAvailable: z.boolean(),
  /**
   * how the certificate of `certificateSite` is served: as the node's mail certificate (to
   * every client), by SNI (to the site's names under the domain), or null: not at all (the
   * domain names no site, or its site has no name under the domain; docs/mail.md#tls)
   */
  certificateServed: z.enum(["default", "sni"]).nullable(),
  /** the node's facts list rspamd and clamd installed: reject is possible (else only off) */
  virusAvailable: z.boolean(),
});
export const mailDomainChange = mailDomainItem.extend({ taskId: z.string() });

export const mailDomainCreate = z.strictObject({
  name: mailDomain,
  /** the node whose Postfix and Dovecot serve it */
  node: id,
  account: id.optional(),
});
export type MailDomainCreate = z.infer<typeof mailDomainCreate>;

/** PATCH: the site (on the domain's node, of its account) whose certificate mail serves. */
export const mailDomainUpdate = z.strictObject({ certificateSite: id.nullable() });
export type MailDomainUpdate = z.infer<typeof mailDomainUpdate>;

export const mailDomainListQuery = z.strictObject({
  account: id.optional(),
  node: id.optional(),
  sort: sortQuery(["createdAt"]),
});

export const mailboxItem = z.object({
  id: z.string(),
  domainId: z.string(),
  address: z.string(),
  quotaMb: z.number(),
  enabled: z.boolean(),
  mode: mailboxMode,
  /** the vacation reply (PUT/DELETE /mailboxes/{id}/autoresponder); null: none */
  autoresponder: autoresponder.nullable(),
  /** what it held at the last sampling (null: not sampled yet) */
  usage: mailboxUsage.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MailboxItem = z.infer<typeof mailboxItem>;
export const mailboxChange = mailboxItem.extend({ taskId: z.string() });

export const mailboxCreate = z.strictObject({
  localPart,
  password: mailPassword,
  /** MiB; 0: no quota */
  quotaMb: quotaMb.default(0),
  enabled: z.boolean().default(true),
  /** both; send-only (gets no mail); receive-only (cannot submit) */
  mode: mailboxMode.default("both"),
});
export type MailboxCreate = z.infer<typeof mailboxCreate>;

export const mailboxUpdate = z
  .strictObject({
    quotaMb: quotaMb.optional(),
    enabled: z.boolean().optional(),
    mode: mailboxMode.optional(),
  })
  .refine(
    (u) => u.quotaMb !== undefined || u.enabled !== undefined || u.mode !== undefined,
    "nothing to change",
  );
export type MailboxUpdate = z.infer<typeof mailboxUpdate>;

export const mailboxPassword = z.strictObject({ password: mailPassword });

export const mailAliasItem = z.object({
  id: z.string(),
  domainId: z.string(),
  /** `local@domain`, or `@domain` for the catch-all */
  source: z.string(),
  catchAll: z.boolean(),
  destinations: z.array(z.string()),
  createdAt: z.string(),
});
export type MailAliasItem = z.infer<typeof mailAliasItem>;
export const mailAliasChange = mailAliasItem.extend({ taskId: z.string() });

export const mailAliasCreate = z
  .strictObject({
    /** the alias's local part; absent with catchAll: every address of the domain without a mailbox or alias */
    localPart: localPart.optional(),
    catchAll: z.boolean().default(false),
    /** addresses here or elsewhere (a forward) */
    destinations: z.array(mailAddress).min(1, "must name at least one address").max(50),
  })
  .superRefine((a, ctx) => {
    if ((a.localPart === undefined) === !a.catchAll)
      ctx.addIssue({
        code: "custom",
        path: ["localPart"],
        message: "give a local part, or catchAll: true (not both)",
      });
  });
export type MailAliasCreate = z.infer<typeof mailAliasCreate>;

export const mailChildListQuery = z.strictObject({});
