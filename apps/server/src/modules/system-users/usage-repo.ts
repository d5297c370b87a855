// SQL of system users' disk usage (migration 079, docs/hosting.md#disk-usage): each user's
// last measurement (one row per user, replaced by the recurring task sysusers.usage), read by
// the user's key and along an account (system_user_usage_account_idx); forgotten with the user.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

type Db = Kysely<Database>;

export interface Measured {
  systemUserId: string;
  accountId: string;
  bytes: number;
  files: number;
  truncated: boolean;
}

/** Each user's usage now (the previous measurement replaced). */
export async function recordUsage(db: Db, rows: Measured[], at: number) {
  for (const r of rows) {
    const values = {
      bytes: r.bytes,
      files: r.files,
      truncated: r.truncated ? 1 : 0,
      measured_at: at,
    };
    await db
      .insertInto("system_user_usage")
      .values({ system_user_id: r.systemUserId, account_id: r.accountId, ...values })
      .onConflict((c) => c.column("system_user_id").doUpdateSet(values))
      .execute();
  }
}

export const usageOf = (db: Db, systemUserId: string) =>
  db
    .selectFrom("system_user_usage")
    .selectAll()
    .where("system_user_id", "=", systemUserId)
    .executeTakeFirst();

/** An account's users' usage rows (at most `limit`: an account's users are one page). */
export const usageOfAccount = (db: Db, accountId: string, limit: number) =>
  db
    .selectFrom("system_user_usage")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("system_user_id")
    .limit(limit)
    .execute();

/** A deleted user's usage goes with it. */
export async function forgetUsage(db: Db, systemUserId: string) {
  await db.deleteFrom("system_user_usage").where("system_user_id", "=", systemUserId).execute();
}
