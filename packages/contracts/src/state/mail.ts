// The mail kinds' files beyond domains and mailboxes (files.ts): a domain's aliases and its
// catch-all, as the mail API's own validators check them.
import { z } from "zod";
import { mailAddress, mailDomain } from "../mail/names.ts";

/** Destinations in one order without repeats, so the same set written otherwise is no change. */
const destinations = z
  .array(mailAddress)
  .min(1, "must name at least one address")
  .max(50)
  .transform((d) => [...new Set(d)].sort());

/**
 * An alias or forward (`address`), or the domain's catch-all (`catchAll: <domain>`: every
 * address of the domain without a mailbox or alias). Its file is `<address>.yaml`, the
 * catch-all's `<domain>.yaml` (no alias's source is a bare domain).
 */
export const mailAliasFile = z
  .strictObject({
    address: mailAddress.optional(),
    catchAll: mailDomain.optional(),
    destinations,
  })
  .refine((a) => (a.address === undefined) !== (a.catchAll === undefined), {
    message: "give an address, or catchAll: <domain> (not both)",
    path: ["address"],
  });
export type MailAliasFile = z.infer<typeof mailAliasFile>;

export const mailAliasName = (f: MailAliasFile) => f.address ?? f.catchAll ?? "";
export const mailAliasDomain = (f: MailAliasFile) =>
  f.address === undefined ? (f.catchAll ?? "") : f.address.slice(f.address.lastIndexOf("@") + 1);
