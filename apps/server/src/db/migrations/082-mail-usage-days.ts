import { type Migration, sql } from "kysely";

/**
 * An account's mail usage per day (issue 18, docs/mail.md#usage): each mailbox's last sample
 * of each UTC day (`mail_usage_days`, one row per mailbox and day, written with the hourly
 * point by the sampling task and kept 30 days like it), so that an account's days are summed
 * in one walk of (account_id, day) reading one row per mailbox and day rather than its hours.
 * Filled from the hourly history kept so far (each mailbox's last point of each day).
 */
export const m082_mail_usage_days = (): Migration => ({
  async up(db) {
    await db.schema
      .createTable("mail_usage_days")
      .addColumn("mailbox_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      /** the UTC day's first millisecond */
      .addColumn("day", "bigint", (c) => c.notNull())
      .addColumn("bytes", "bigint", (c) => c.notNull())
      .addColumn("messages", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("mail_usage_days_pkey", ["mailbox_id", "day"])
      .execute();
    await sql`create index mail_usage_days_account_idx on mail_usage_days (account_id, day)`.execute(
      db,
    );
    await sql`create index mail_usage_days_day_idx on mail_usage_days (day)`.execute(db);
    await sql`
      insert into mail_usage_days (mailbox_id, account_id, day, bytes, messages)
      select s.mailbox_id, s.account_id, (s.at / 86400000) * 86400000, s.bytes, s.messages
      from mail_usage_samples s
      where not exists (
        select 1 from mail_usage_samples t
        where t.mailbox_id = s.mailbox_id and t.at > s.at
          and t.at < (s.at / 86400000) * 86400000 + 86400000
      )`.execute(db);
  },
});
