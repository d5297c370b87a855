// Who a caller is and what it may do is cached per credential (actor-cache.ts). Every write
// that changes what such an entry holds (a user's name, email or disabled flag, a session, an
// API key, a group membership, a grant) announces itself here, from the repo that writes it,
// on the connection it wrote with: the one invalidation mechanism, in every process.
import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/schema.ts";
import { isPostgres } from "../lib/sql.ts";

/** The NOTIFY channel of these changes on PostgreSQL (payload: the change's token). */
export const ACTORS_CHANNEL = "steward_actors";

/**
 * Told of every change written in this process. `pending` is the change's token while its
 * transaction may not have committed yet (PostgreSQL): until the NOTIFY carrying it is heard,
 * a read on another connection could still see the rows as they were.
 */
export type ActorChangeListener = (pending: string | null) => void;

const listeners = new Set<ActorChangeListener>();
const processTag = randomBytes(6).toString("base64url");
let sequence = 0;

export function onActorsChanged(fn: ActorChangeListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Called by a repo right after it wrote such a change, with the connection (or transaction)
 * it wrote on. This process's caches drop every entry at once. On PostgreSQL a NOTIFY goes
 * out on the same connection: with the commit when in a transaction (and this process's
 * caches stay bypassed until they hear it), at once otherwise; every panel process LISTENs.
 * On SQLite every query shares one connection, so a read that starts now runs after the
 * commit; the commits of another process on the same file (the CLI) are seen by the caches
 * through `pragma data_version` (actor-cache.ts).
 */
export async function actorsChanged(db: Kysely<Database>): Promise<void> {
  if (!isPostgres(db)) {
    for (const fn of listeners) fn(null);
    return;
  }
  const token = `${processTag}.${++sequence}`;
  for (const fn of listeners) fn(db.isTransaction ? token : null);
  await sql`select pg_notify(${ACTORS_CHANNEL}, ${token})`.execute(db);
}
