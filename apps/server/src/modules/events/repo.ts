// The events table (migration 021): inserted in the transaction of what caused them, listed
// newest first by index walks, read after a cursor by the dispatcher, pruned by age.
import type { Insertable, Kysely, Selectable, SqlBool } from "kysely";
import { sql } from "kysely";
import type { Database, EventTable } from "../../db/schema.ts";
import { idAt, idFloor } from "../../lib/ids.ts";
import { crossWalks, type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

/** the prefix of event ids (record.ts makes them) */
export const EVENT_ID = "evt";

export type EventRow = Selectable<EventTable>;

export interface EventFilter {
  /** the types shown (a prefix expanded from the catalogue); undefined for all */
  types?: string[];
  /** the severities shown (a minimum expanded); undefined for all */
  severities?: string[];
  outcome?: EventTable["outcome"];
  account?: string;
  targetType?: string;
  target?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** One condition per value: a short list of index walks, or none when a single value. */
const eachOf = (column: "type" | "severity", values: string[] | undefined) =>
  values && values.length > 1 ? values.map((v) => sql<SqlBool>`${sql.ref(column)} = ${v}`) : null;

/**
 * Newest first; the cursor is the id of the last event of the previous page. Each filter is an
 * index ending with id; several types (a prefix) or severities (a minimum) are read one value
 * at a time, and what an actor who sees some accounts sees one account at a time (lib/walks.ts),
 * each bounded by an (account, filter, id) index. One account or target is already a short
 * walk: the actor's walks would repeat it.
 */
export async function listEvents(db: Kysely<Database>, scope: ListScope, f: EventFilter) {
  const narrow = f.account !== undefined || f.target !== undefined;
  let q = db
    .selectFrom("events")
    .selectAll()
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  if (f.types?.length === 1) q = q.where("type", "=", f.types[0] as string);
  if (f.severities?.length === 1)
    q = q.where("severity", "=", f.severities[0] as EventRow["severity"]);
  if (f.outcome) q = q.where("outcome", "=", f.outcome);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.targetType) q = q.where("target_type", "=", f.targetType);
  if (f.target) q = q.where("target_id", "=", f.target);
  if (f.from)
    q = q
      .where("created_at", ">=", Date.parse(f.from))
      .where("id", ">=", idFloor(EVENT_ID, f.from, -1));
  if (f.to)
    q = q.where("created_at", "<", Date.parse(f.to)).where("id", "<", idFloor(EVENT_ID, f.to, 1));
  const walks = crossWalks(
    crossWalks(eachOf("type", f.types), eachOf("severity", f.severities)),
    narrow ? null : scope.walks,
  );
  return pageOfWalksByIds(db, walks, f.limit + 1, q);
}

export const findEvent = (db: Kysely<Database>, id: string) =>
  db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertEvent(db: Kysely<Database>, row: Insertable<EventTable>) {
  await db.insertInto("events").values(row).execute();
}

/** The latest event of a group among `types` (one walk of the group's index), or undefined. */
export const latestOfGroup = (db: Kysely<Database>, groupKey: string, types: string[]) =>
  db
    .selectFrom("events")
    .select(["id", "type", "fields"])
    .where("group_key", "=", groupKey)
    .where("type", "in", types)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();

/** Events after `cursor` in id order (the dispatcher's outbox read). */
export const eventsAfter = (db: Kysely<Database>, cursor: string, limit: number) =>
  db
    .selectFrom("events")
    .selectAll()
    .where("id", ">", cursor)
    .orderBy("id", "asc")
    .limit(limit)
    .execute();

/**
 * Deletes events made before `before` (epoch ms), `batch` at a time in id order (the ids begin
 * with their time), so no statement holds the table long; returns how many.
 */
export async function pruneEvents(db: Kysely<Database>, before: number, batch = 1_000) {
  const bound = idAt(EVENT_ID, before);
  let deleted = 0;
  for (;;) {
    const r = await db
      .deleteFrom("events")
      .where("id", "in", (eb) =>
        eb.selectFrom("events").select("id").where("id", "<", bound).orderBy("id").limit(batch),
      )
      .executeTakeFirst();
    const n = Number(r.numDeletedRows);
    deleted += n;
    if (n < batch) return deleted;
  }
}

/** Events by id, in id order (a delivery's events). */
export const eventsByIds = (db: Kysely<Database>, ids: string[]) =>
  ids.length
    ? db.selectFrom("events").selectAll().where("id", "in", ids).orderBy("id").execute()
    : Promise.resolve([] as EventRow[]);

/** Events in (after, upTo], in id order: the dispatcher's re-read behind its cursor. */
export const eventsBetween = (db: Kysely<Database>, after: string, upTo: string, limit: number) =>
  db
    .selectFrom("events")
    .selectAll()
    .where("id", ">", after)
    .where("id", "<=", upTo)
    .orderBy("id", "asc")
    .limit(limit)
    .execute();

/** When a target's state changed among `types`, after `after` and before `before` (ids). */
export const targetChanges = (
  db: Kysely<Database>,
  targetId: string,
  types: string[],
  after: string,
  before: string,
) =>
  db
    .selectFrom("events")
    .select("created_at")
    .where("target_id", "=", targetId)
    .where("id", ">", after)
    .where("id", "<", before)
    .where("type", "in", types)
    .orderBy("id")
    .execute();
