// Mail client autoconfiguration (docs/mail.md, "Mail clients"): Thunderbird's autoconfig
// (`GET /mail/config-v1.1.xml?emailaddress=`) and Outlook's autodiscover (`POST
// /autodiscover/autodiscover.xml`, an XML body naming <EMailAddress>). Both take one address,
// checked by the mail address rule before anything is looked up.
import { z } from "zod";
import { mailAddress } from "./names.ts";

export const mailClientQuery = z.strictObject({ emailaddress: mailAddress });

/** The largest autodiscover request read (Outlook's is a few hundred bytes). */
export const AUTODISCOVER_BODY_LIMIT = 8_192;

/** What a mail client is told: where to read (IMAP) and send (submission) mail. */
export interface MailClientSettings {
  /** the address asked about, as the panel keeps it (lowercase, punycode domain) */
  address: string;
  domain: string;
  /** the host name its certificate names (the node's mail certificate's site), else the domain */
  host: string;
}
