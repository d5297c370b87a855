// The resolved caller of a credential (its user, groups, grants and, for an API key, its
// scopes), kept for a few seconds so that a request with a known credential makes no database
// round trip to authenticate. Entries are keyed by the credential's SHA-256 (never the secret
// itself), bounded in number (least recently used go first), and dropped as a whole on any
// change announced by actor-changes.ts, in this process at once and in the others through
// LISTEN/NOTIFY on PostgreSQL. A credential's expiry is checked on every hit.
import { LRUCache } from "lru-cache";
import type { Db } from "../db/open.ts";
import { onActorsChanged } from "./actor-changes.ts";
import { listenForChanges } from "./actor-listen.ts";
import type { Actor, GrantRow } from "./types.ts";

export interface ResolvedActor {
  actor: Actor;
  grants: GrantRow[];
  /** when the credential expires (epoch ms): from then on it is looked up again */
  expiresAt: number | null;
}

export interface ActorCacheOptions {
  db: Db;
  /** PostgreSQL: where to LISTEN for the changes of other processes */
  listenUrl?: string;
  /** how long an entry may serve at most (a change made behind Steward's back, by hand) */
  ttlMs?: number;
  max?: number;
}

/**
 * SQLite: whether another process (the CLI) committed to the file since the last look.
 * `data_version` moves only with other connections' commits; asking reads no table and
 * does no I/O, on the panel's one connection, synchronously (no trip through Kysely's queue
 * for every request). Asked once per turn of the event loop: the requests one turn reads (up
 * to 50 at once in bench:api, where asking for each was 2% of the CPU) see the same commits.
 */
function otherWriters(dataVersion: () => number) {
  let last: number | undefined;
  let asked = false;
  const again = () => {
    asked = false;
  };
  return () => {
    if (asked) return false;
    asked = true;
    setImmediate(again);
    const seen = dataVersion();
    const changed = last !== undefined && seen !== last;
    last = seen;
    return changed;
  };
}

/** A change whose NOTIFY is not heard within this (its transaction rolled back) is let go. */
const PENDING_MS = 30_000;

export function createActorCache({
  db,
  listenUrl,
  ttlMs = 5_000,
  max = 10_000,
}: ActorCacheOptions) {
  const entries = new LRUCache<string, ResolvedActor>({ max, ttl: ttlMs });
  /** what callers read about themselves (`GET /api/v1/me`), by user: dropped with the rest */
  const memos = new LRUCache<string, { value: unknown }>({ max, ttl: ttlMs });
  /** bumped on every change: a lookup that started before one does not store its answer */
  let generation = 0;
  /** tokens of this process's changes whose commit is not heard yet, with their deadline */
  const pending = new Map<string, number>();
  const drop = () => {
    generation++;
    entries.clear();
    memos.clear();
  };
  const listener =
    db.dialect === "postgres"
      ? listenForChanges(listenUrl, (token) => {
          // "" when (re)starting to listen: every commit from now on is heard
          if (token) pending.delete(token);
          else pending.clear();
          drop();
        })
      : null;
  const othersWrote = db.dataVersion ? otherWriters(db.dataVersion) : null;
  const stopHearing = onActorsChanged((token) => {
    drop();
    if (token) pending.set(token, Date.now() + PENDING_MS);
  });

  /** whether entries may be served and stored now */
  function open(now: number) {
    if (listener && !listener.listening()) return false;
    for (const [token, until] of pending) if (until <= now) pending.delete(token);
    return pending.size === 0;
  }

  /** Loads, and keeps the answer unless something changed meanwhile or entries may not serve. */
  async function stored<T>(load: () => Promise<T>, keep: (value: T) => unknown): Promise<T> {
    const usable = open(Date.now());
    const before = generation;
    const loaded = await load();
    if (usable && generation === before && open(Date.now())) keep(loaded);
    return loaded;
  }

  return {
    /** The cached answer for `key`, else `load()`'s (stored unless something changed meanwhile). */
    async resolve(
      key: string,
      load: () => Promise<ResolvedActor | null>,
    ): Promise<ResolvedActor | null> {
      if (othersWrote?.()) drop();
      const now = Date.now();
      const hit = open(now) ? entries.get(key) : undefined;
      if (hit && (hit.expiresAt === null || hit.expiresAt > now)) return hit;
      return stored(load, (loaded) => loaded && entries.set(key, loaded));
    },
    /**
     * `load()`'s answer for `key`, kept like a caller (a few seconds, dropped on every change
     * actor-changes.ts announces): only for what such changes cover (a user's own record).
     * Called after `resolve` in the same request, so other processes' writes are seen already.
     */
    async remember<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = open(Date.now()) ? memos.get(key) : undefined;
      if (hit) return hit.value as T;
      return stored(load, (value) => memos.set(key, { value }));
    },
    /**
     * Settles once entries are served: the changes of other processes are heard (PostgreSQL)
     * and this process's own, committed, too (or after a few seconds).
     */
    async ready() {
      await listener?.ready();
      for (let i = 0; i < 500 && !open(Date.now()); i++)
        await new Promise((r) => setTimeout(r, 10));
    },
    async close() {
      stopHearing();
      drop();
      await listener?.close();
    },
  };
}
