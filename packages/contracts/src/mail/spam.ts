// Spam filtering and the Junk folder per mail domain (docs/mail.md#spam): rspamd scans what
// arrives through Postfix's milter when the node has it. off: not filtered; tag: an `X-Spam:
// Yes` header over rspamd's add-header score and delivery into Junk; reject: refused at SMTP
// over its reject score (and tagged between the two). Junk keeps messages `junkDays` days.
import { z } from "zod";

export const spamFilterModes = ["off", "tag", "reject"] as const;
export type SpamFilterMode = (typeof spamFilterModes)[number];
export const spamFilterMode = z.enum(spamFilterModes);

/** days a message stays in Junk before the node's daily expunge removes it */
export const junkDays = z.number().int().min(1).max(3650);
export const JUNK_DAYS_DEFAULT = 30;

/** PUT /mail/domains/{id}/spam: both always given (the domain's whole spam setting) */
export const mailSpamSettings = z.strictObject({
  spamFilter: spamFilterMode,
  junkDays: junkDays.default(JUNK_DAYS_DEFAULT),
});
export type MailSpamSettings = z.infer<typeof mailSpamSettings>;
