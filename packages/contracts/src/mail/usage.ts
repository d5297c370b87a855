// What mailboxes hold (docs/mail.md#usage): sampled from the node's Dovecot by the recurring
// task mail.usage, on each mailbox now and as an hourly history.
import { z } from "zod";

export const mailboxUsage = z.object({
  bytes: z.number(),
  messages: z.number(),
  /** the quota Dovecot counted against, in bytes; null: none */
  limitBytes: z.number().nullable(),
  /** bytes of the quota, 0-100 and over (Dovecot lets the last message over by its grace); null: no quota */
  percent: z.number().nullable(),
  /** when it was sampled */
  at: z.string(),
});
export type MailboxUsage = z.infer<typeof mailboxUsage>;

export const mailUsagePoint = z.object({ at: z.string(), bytes: z.number(), messages: z.number() });

/** GET /api/v1/mail/mailboxes/{id}/usage */
export const mailboxUsageAnswer = z.object({
  mailboxId: z.string(),
  address: z.string(),
  /** null: not sampled yet */
  current: mailboxUsage.nullable(),
  /** one point per hour (its last sample), oldest first, the last 30 days at most */
  history: z.array(mailUsagePoint),
});
export type MailboxUsageAnswer = z.infer<typeof mailboxUsageAnswer>;

/** An account's mail on a UTC day: the sums of its mailboxes' last samples of the day. */
export const accountMailDay = z.object({
  /** YYYY-MM-DD */
  day: z.string(),
  bytes: z.number(),
  messages: z.number(),
  /** the mailboxes sampled that day */
  mailboxes: z.number(),
});
export type AccountMailDay = z.infer<typeof accountMailDay>;

/** GET /api/v1/accounts/{id}/mail-usage: the account's mailboxes together, now and per day */
export const accountMailUsage = z.object({
  accountId: z.string(),
  mailboxes: z.number(),
  bytes: z.number(),
  messages: z.number(),
  /** the latest sampling of any of them; null: none sampled yet */
  sampledAt: z.string().nullable(),
  /** the last 30 days (today included) that have samples, oldest first */
  days: z.array(accountMailDay),
});
export type AccountMailUsage = z.infer<typeof accountMailUsage>;
