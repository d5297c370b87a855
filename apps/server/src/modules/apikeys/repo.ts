import type { Kysely, Selectable } from "kysely";
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
}
