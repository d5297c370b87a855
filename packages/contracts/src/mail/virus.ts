// Virus scanning per mail domain (docs/mail.md#viruses): ClamAV, through rspamd's antivirus
// module, scans the attachments of what arrives when the node has both. off: not scanned;
// reject: a message carrying a virus is refused at SMTP (5xx naming the virus).
import { z } from "zod";

export const virusFilterModes = ["off", "reject"] as const;
export type VirusFilterMode = (typeof virusFilterModes)[number];
export const virusFilterMode = z.enum(virusFilterModes);

/** PUT /mail/domains/{id}/virus */
export const mailVirusSettings = z.strictObject({ virusFilter: virusFilterMode });
export type MailVirusSettings = z.infer<typeof mailVirusSettings>;
