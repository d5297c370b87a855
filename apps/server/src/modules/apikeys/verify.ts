// Authenticating an API key: one read, no write on the way (and none at all while the
// resolved caller is cached: access/actor-cache.ts; a hit records its use here too). Keys are stored as better-auth's
// api-key plugin stores them (SHA-256 of the key, base64url without padding, in
// auth_apikey.key; `enabled`, `expiresAt`; scopes in `metadata`), so keys it created keep
// working. The last use is recorded at most once a minute per key, after the answer is
// decided, and a failure to record it is logged, never fatal: a database that cannot be
// written still authenticates, and one that cannot be read is an error (503), not a 401.
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "../../db/open.ts";
import { toBool } from "../../lib/sql.ts";
import * as repo from "./repo.ts";

/** better-auth's defaultKeyHasher, with node:crypto. */
export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("base64url");

const TOUCH_EVERY_MS = 60_000;

export interface VerifiedKey {
  id: string;
  userId: string;
  email: string;
  name: string;
  /** the raw metadata (scopes are read by scopesOf) */
  metadata: unknown;
  /** epoch ms, or null for a key that does not expire */
  expiresAt: number | null;
}

export type KeyCheck = { ok: true; key: VerifiedKey } | { ok: false; why: string };

export function createKeyVerifier(db: Db, log: Logger) {
  /** when this process last recorded a use of each key */
  const touched = new Map<string, number>();

  function recordUse(id: string, now: number) {
    const last = touched.get(id);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    if (touched.size > 10_000) touched.clear();
    touched.set(id, now);
    repo
      .touchKey(db.db, id, new Date(now), new Date(now - TOUCH_EVERY_MS))
      .catch((err: unknown) => log.warn({ err, keyId: id }, "could not record the API key's use"));
  }

  async function verifyApiKey(key: string): Promise<KeyCheck> {
    const row = await repo.findKeyForAuth(db.db, hashApiKey(key));
    if (!row) return { ok: false, why: "the API key is invalid, revoked or expired" };
    const now = Date.now();
    const expiresAt =
      row.expiresAt === null ? null : new Date(row.expiresAt as string | Date).getTime();
    if ((expiresAt !== null && expiresAt <= now) || (row.enabled !== null && !toBool(row.enabled)))
      return { ok: false, why: "the API key is invalid, revoked or expired" };
    if (toBool(row.disabled)) return { ok: false, why: "the API key's user is disabled" };
    recordUse(row.id, now);
    return {
      ok: true,
      key: {
        id: row.id,
        userId: row.userId,
        email: row.email,
        name: row.name,
        metadata: row.metadata,
        expiresAt,
      },
    };
  }

  /** one read by the key's hash; `recordUse` for a key authenticated from the cache */
  return Object.assign(verifyApiKey, { recordUse: (id: string) => recordUse(id, Date.now()) });
}

export type KeyVerifier = ReturnType<typeof createKeyVerifier>;
