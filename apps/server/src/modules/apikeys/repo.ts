import type { Kysely, Selectable } from "kysely";
import { actorsChanged } from "../../access/actor-changes.ts";
import type { Database } from "../../db/schema.ts";
import { toBool, toIso, toIsoOrNull } from "../../lib/sql.ts";

/** better-auth keeps metadata as JSON (older versions stringified it twice). */
export function scopesOf(metadata: unknown): string[] {
  let m = metadata;
  for (let i = 0; i < 2 && typeof m === "string"; i++) {
    try {
      m = JSON.parse(m);
    } catch {
      return [];
    }
  }
  const scopes = (m as { scopes?: unknown } | null)?.scopes;
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [];
}

const cols = [
  "id",
  "name",
  "start",
  "referenceId",
  "enabled",
  "expiresAt",
  "createdAt",
  "lastRequest",
  "metadata",
] as const;
type Raw = Pick<Selectable<Database["auth_apikey"]>, (typeof cols)[number]>;
const toKey = (r: Raw) => ({
  id: r.id,
  name: r.name,
  start: r.start,
  userId: r.referenceId,
  scopes: scopesOf(r.metadata),
  enabled: r.enabled === null ? true : toBool(r.enabled),
  expiresAt: toIsoOrNull(r.expiresAt),
  createdAt: toIso(r.createdAt),
  lastUsedAt: toIsoOrNull(r.lastRequest),
});
export type ApiKeyView = ReturnType<typeof toKey>;

export async function listKeys(
  db: Kysely<Database>,
  userId: string | undefined,
  f: { limit: number; cursor?: string },
) {
  let q = db
    .selectFrom("auth_apikey")
    .select(cols)
    .orderBy("id")
    .limit(f.limit + 1);
  if (userId) q = q.where("referenceId", "=", userId);
  if (f.cursor) q = q.where("id", ">", f.cursor);
  return (await q.execute()).map(toKey);
}

export async function findKey(db: Kysely<Database>, id: string) {
  const r = await db.selectFrom("auth_apikey").select(cols).where("id", "=", id).executeTakeFirst();
  return r ? toKey(r) : undefined;
}

export async function deleteKey(db: Kysely<Database>, id: string) {
  await db.deleteFrom("auth_apikey").where("id", "=", id).execute();
  await actorsChanged(db);
}

/** What authenticating a key reads: one row by the key's hash, and its user. */
export async function findKeyForAuth(db: Kysely<Database>, hash: string) {
  return db
    .selectFrom("auth_apikey")
    .innerJoin("auth_user", "auth_user.id", "auth_apikey.referenceId")
    .select([
      "auth_apikey.id",
      "auth_apikey.enabled",
      "auth_apikey.expiresAt",
      "auth_apikey.metadata",
      "auth_user.id as userId",
      "auth_user.email",
      "auth_user.name",
      "auth_user.disabled",
    ])
    .where("auth_apikey.key", "=", hash)
    .executeTakeFirst();
}

/** Records a use, unless one was recorded since `notSince` (by any process). */
export async function touchKey(db: Kysely<Database>, id: string, now: Date, notSince: Date) {
  await db
    .updateTable("auth_apikey")
    .set({ lastRequest: now })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("lastRequest", "is", null), eb("lastRequest", "<", notSince)]))
    .execute();
}

/** Ends every key of a user (an administrator set its password). */
export async function deleteKeysOf(db: Kysely<Database>, userId: string) {
  const r = await db.deleteFrom("auth_apikey").where("referenceId", "=", userId).executeTakeFirst();
  await actorsChanged(db);
  return r.numDeletedRows;
}
