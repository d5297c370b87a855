// Mail client settings (docs/mail.md, "Mail clients"): what Thunderbird's autoconfig and
// Outlook's autodiscover are told for an address: the host of the domain's node (a name the
// certificate served for it covers: tls.ts), IMAP and submission. Asked without signing in, so the answer says
// nothing DNS does not: a domain the panel serves gets its settings whatever the local part
// (no mailbox is confirmed or denied), and every other name gets the same "unknown", whether
// nobody holds it, another panel does, or it is being deleted.
import type { MailClientSettings } from "@steward/contracts/mail";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { notFound } from "../../lib/errors.ts";
import * as repo from "./repo.ts";
import { certificatesOfNode, mailHostOf } from "./tls.ts";

/** said the same way for every name the panel does not serve ("… not found") */
const UNKNOWN = "mail settings for this address";

export function createClientSettingsService(k: Kysely<Database>) {
  return {
    /** The settings for an address (canonical already: lowercase, punycode), or 404. */
    async clientSettings(address: string): Promise<MailClientSettings> {
      const domain = address.slice(address.lastIndexOf("@") + 1);
      const row = await repo.findDomainByName(k, domain);
      if (!row || row.status === "deleting") throw notFound(UNKNOWN);
      const host = await mailHostOf(k, row, await certificatesOfNode(k, row.node_id));
      return { address, domain, host };
    },
  };
}
