// SQL of the databases' sizes (issue 14): each database's size now (on its row) and its
// history (`database_sizes`), written by the recurring task database.sizes (sizes.ts); an
// account's sum now and per day, read along the account's databases (databases_account_idx)
// and each one's history by its key (database_id, at).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

/** Each database's size now: on its row, and a point of its history. */
export async function recordSizes(
  db: Kysely<Database>,
  sizes: { id: string; sizeBytes: number }[],
  at: number,
) {
  for (const { id, sizeBytes } of sizes) {
    await db
      .insertInto("database_sizes")
      .values({ database_id: id, at, size_bytes: sizeBytes })
      .onConflict((c) => c.columns(["database_id", "at"]).doNothing())
      .execute();
    await db
      .updateTable("databases")
      .set({ size_bytes: sizeBytes, sized_at: at })
      .where("id", "=", id)
      .execute();
  }
}

/** A database's size history, newest first, before `before` (a page's cursor). */
export const sizesOf = (
  db: Kysely<Database>,
  databaseId: string,
  before: number | null,
  limit: number,
) => {
  let q = db
    .selectFrom("database_sizes")
    .select(["at", "size_bytes"])
    .where("database_id", "=", databaseId)
    .orderBy("at", "desc")
    .limit(limit);
  if (before !== null) q = q.where("at", "<", before);
  return q.execute();
};

/** An account's databases now: how many, their sizes' sum, the latest sizing. */
export async function accountTotal(db: Kysely<Database>, accountId: string) {
  const row = await db
    .selectFrom("databases")
    .select((eb) => [
      eb.fn.countAll<number | string>().as("databases"),
      eb.fn.sum<number | string | null>("size_bytes").as("size_bytes"),
      eb.fn.max<number | string | null>("sized_at").as("sized_at"),
    ])
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  return {
    databases: Number(row.databases),
    sizeBytes: Number(row.size_bytes ?? 0),
    sizedAt: row.sized_at === null ? null : Number(row.sized_at),
  };
}

/** The size points since `since` of the account's databases (they are deleted with them). */
export const accountPoints = (db: Kysely<Database>, accountId: string, since: number) =>
  db
    .selectFrom("databases")
    .innerJoin("database_sizes", "database_sizes.database_id", "databases.id")
    .select(["database_sizes.database_id", "database_sizes.at", "database_sizes.size_bytes"])
    .where("databases.account_id", "=", accountId)
    .where("database_sizes.at", ">=", since)
    .execute();
