// The `settings` table: named values of the installation (the setup token's hash, the master
// key check value). Its only owner: other modules go through these functions.
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";

export const getSetting = async (db: Kysely<Database>, key: string) =>
  (await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst())
    ?.value;

/** Writes the value unless the key exists; returns the value stored (this one or the other). */
export async function putSettingOnce(db: Kysely<Database>, key: string, value: string) {
  await db
    .insertInto("settings")
    .values({ key, value, secret: 1, updated_at: Date.now() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  return getSetting(db, key);
}

export async function putSetting(db: Kysely<Database>, key: string, value: string) {
  const now = Date.now();
  await db
    .insertInto("settings")
    .values({ key, value, secret: 1, updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** Deletes the key if it holds this value; true when it did (the value was consumed). */
export async function takeSetting(db: Kysely<Database>, key: string, value: string) {
  const r = await db
    .deleteFrom("settings")
    .where("key", "=", key)
    .where("value", "=", value)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}
