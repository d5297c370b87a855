import { type Migration, sql } from "kysely";

/**
 * Mailboxes (issue 18, docs/mail.md): a mode (`both`, `send-only`, `receive-only`), an
 * autoresponder (JSON: subject, body, start, end, days; null: none), and what the mailbox
 * held at the last sampling (bytes, messages, the quota Dovecot counted, when). The history
 * (`mail_usage_samples`) keeps one point per mailbox and hour (the hour's last sample), kept
 * for 30 days by the sampling task, read by its key (mailbox_id, at) and an account's by
 * (account_id, at).
 */
export const m071_mailbox_modes_usage = (): Migration => ({
  async up(db) {
    await db.schema
      .alterTable("mailboxes")
      .addColumn("mode", "text", (c) => c.notNull().defaultTo("both"))
      .execute();
    await db.schema.alterTable("mailboxes").addColumn("autoresponder", "text").execute();
    await db.schema.alterTable("mailboxes").addColumn("usage_bytes", "bigint").execute();
    await db.schema.alterTable("mailboxes").addColumn("usage_messages", "bigint").execute();
    await db.schema.alterTable("mailboxes").addColumn("usage_limit_bytes", "bigint").execute();
    await db.schema.alterTable("mailboxes").addColumn("usage_at", "bigint").execute();
    await db.schema
      .createTable("mail_usage_samples")
      .addColumn("mailbox_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      /** the hour's first millisecond */
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addColumn("messages", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("mail_usage_samples_pkey", ["mailbox_id", "at"])
      .execute();
    await sql`create index mail_usage_samples_account_idx on mail_usage_samples (account_id, at)`.execute(
      db,
    );
    await sql`create index mail_usage_samples_at_idx on mail_usage_samples (at)`.execute(db);
    await sql`create index mailboxes_account_idx on mailboxes (account_id, id)`.execute(db);
  },
});
