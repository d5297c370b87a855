import type { Migration } from "kysely";

/**
 * Spam filtering per mail domain (issue 18, docs/mail.md#spam): rspamd's mode for what
 * arrives (`off`, `tag`: X-Spam header and Junk, `reject`: refused at SMTP) and how many days
 * Junk keeps a message before the node's daily expunge removes it.
 */
export const m072_mail_spam = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("mail_domains")
      .addColumn("spam_filter", "text", (c) => c.notNull().defaultTo("off"))
      .execute();
    await db.schema
      .alterTable("mail_domains")
      .addColumn("junk_days", "integer", (c) => c.notNull().defaultTo(30))
      .execute();
  },
});
