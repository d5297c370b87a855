import type { Migration } from "kysely";

/**
 * Virus scanning per mail domain (issue 18, docs/mail.md#viruses): ClamAV through rspamd's
 * antivirus module for what arrives, `off` or `reject` (a virus refused at SMTP).
 */
export const m081_mail_virus = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("mail_domains")
      .addColumn("virus_filter", "text", (c) => c.notNull().defaultTo("off"))
      .execute();
  },
});
