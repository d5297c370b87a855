// SQL of mailboxes' usage (migrations 071 and 082, docs/mail.md#usage): each mailbox's usage
// now (on its row), its hourly history (`mail_usage_samples`, one point per mailbox and hour:
// the hour's last sample) and its days (`mail_usage_days`, the day's last sample), written by
// the recurring task mail.usage (usage.ts); a mailbox's history read by its key (mailbox_id,
// at), an account's total along mailboxes_account_idx and its days summed along
// mail_usage_days_account_idx (account_id, day).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

type Db = Kysely<Database>;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Sample {
  id: string;
  accountId: string;
  bytes: number;
  messages: number;
  limitBytes: number | null;
}

/** Each mailbox's usage now, and the points of its history for the hour and the day of `at`. */
export async function recordUsage(db: Db, samples: Sample[], at: number) {
  const hour = Math.floor(at / HOUR) * HOUR;
  const day = Math.floor(at / DAY) * DAY;
  for (const s of samples) {
    await db
      .updateTable("mailboxes")
      .set({
        usage_bytes: s.bytes,
        usage_messages: s.messages,
        usage_limit_bytes: s.limitBytes,
        usage_at: at,
      })
      .where("id", "=", s.id)
      .execute();
    await db
      .insertInto("mail_usage_samples")
      .values({
        mailbox_id: s.id,
        account_id: s.accountId,
        at: hour,
        bytes: s.bytes,
        messages: s.messages,
      })
      .onConflict((c) =>
        c.columns(["mailbox_id", "at"]).doUpdateSet({ bytes: s.bytes, messages: s.messages }),
      )
      .execute();
    await db
      .insertInto("mail_usage_days")
      .values({
        mailbox_id: s.id,
        account_id: s.accountId,
        day,
        bytes: s.bytes,
        messages: s.messages,
      })
      .onConflict((c) =>
        c.columns(["mailbox_id", "day"]).doUpdateSet({ bytes: s.bytes, messages: s.messages }),
      )
      .execute();
  }
}

/** Points older than `before` go (the history is kept 30 days); answers the hours pruned. */
export async function pruneUsage(db: Db, before: number) {
  const r = await db.deleteFrom("mail_usage_samples").where("at", "<", before).executeTakeFirst();
  await db.deleteFrom("mail_usage_days").where("day", "<", before).execute();
  return Number(r.numDeletedRows);
}

/** A removed mailbox's history goes with it. */
export async function forgetMailboxUsage(db: Db, mailboxId: string) {
  await db.deleteFrom("mail_usage_samples").where("mailbox_id", "=", mailboxId).execute();
  await db.deleteFrom("mail_usage_days").where("mailbox_id", "=", mailboxId).execute();
}

/** The history of a domain's mailboxes goes with the domain. */
export async function forgetDomainUsage(db: Db, domainId: string) {
  const boxes = db.selectFrom("mailboxes").select("id").where("domain_id", "=", domainId);
  await db.deleteFrom("mail_usage_samples").where("mailbox_id", "in", boxes).execute();
  await db.deleteFrom("mail_usage_days").where("mailbox_id", "in", boxes).execute();
}

/**
 * An account's usage per UTC day since `since`, oldest first: the sums of its mailboxes' last
 * samples of each day (one row per mailbox and day read, grouped in the index's order).
 */
export const accountDays = (db: Db, accountId: string, since: number) =>
  db
    .selectFrom("mail_usage_days")
    .select((eb) => [
      "day",
      eb.fn.sum<number | string>("bytes").as("bytes"),
      eb.fn.sum<number | string>("messages").as("messages"),
      eb.fn.countAll<number | string>().as("mailboxes"),
    ])
    .where("account_id", "=", accountId)
    .where("day", ">=", since)
    .groupBy("day")
    .orderBy("day")
    .execute();

/** A mailbox's hourly points since `since`, oldest first. */
export const historyOf = (db: Db, mailboxId: string, since: number) =>
  db
    .selectFrom("mail_usage_samples")
    .select(["at", "bytes", "messages"])
    .where("mailbox_id", "=", mailboxId)
    .where("at", ">=", since)
    .orderBy("at")
    .execute();

/** An account's mailboxes now: how many, what they hold together, the latest sampling. */
export async function accountUsage(db: Db, accountId: string) {
  const row = await db
    .selectFrom("mailboxes")
    .select((eb) => [
      eb.fn.countAll<number | string>().as("mailboxes"),
      eb.fn.sum<number | string | null>("usage_bytes").as("bytes"),
      eb.fn.sum<number | string | null>("usage_messages").as("messages"),
      eb.fn.max<number | string | null>("usage_at").as("at"),
    ])
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return {
    mailboxes: Number(row.mailboxes),
    bytes: Number(row.bytes ?? 0),
    messages: Number(row.messages ?? 0),
    at: row.at === null ? null : Number(row.at),
  };
}
