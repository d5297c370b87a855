// mail.apply's spam part (docs/mail.md#spam): the domains rspamd filters on this node and
// how; a domain not listed is not filtered. The agent renders rspamd's settings from it.
import { z } from "zod";
import { isDnsName } from "../validators.ts";

export const mailSpamFilters = z
  .array(
    z.strictObject({
      domain: z.string().max(253).refine(isDnsName, "must be an ASCII domain name"),
      /** tag: X-Spam header and Junk; reject: refused at SMTP over rspamd's reject score */
      filter: z.enum(["tag", "reject"]),
    }),
  )
  .max(10_000)
  .default([]);
export type MailSpamFilters = z.infer<typeof mailSpamFilters>;

/** mail.junk.expunge: each domain's Junk folders lose what is older than its days. */
export const mailJunkExpungeInput = z.strictObject({
  domains: z
    .array(
      z.strictObject({
        domain: z.string().max(253).refine(isDnsName, "must be an ASCII domain name"),
        days: z.number().int().min(1).max(3650),
      }),
    )
    .max(10_000),
});
export type MailJunkExpungeInput = z.infer<typeof mailJunkExpungeInput>;

export const mailJunkExpungeOutput = z.object({
  /** messages removed from Junk, per domain, in the input's order */
  expunged: z.array(z.object({ domain: z.string(), messages: z.number() })),
});
export type MailJunkExpungeOutput = z.infer<typeof mailJunkExpungeOutput>;
