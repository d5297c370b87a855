// mail.apply's virus part (docs/mail.md#viruses): the domains whose mail rspamd has ClamAV
// scan and refuses at SMTP when it finds a virus; a domain not listed is not scanned.
import { z } from "zod";
import { isDnsName } from "../validators.ts";

export const mailVirusDomains = z
  .array(z.string().max(253).refine(isDnsName, "must be an ASCII domain name"))
  .max(10_000)
  .default([]);
export type MailVirusDomains = z.infer<typeof mailVirusDomains>;
