// The dispatcher's and the deliveries' tables (migration 025): the cursor and its lease, the
// events dispatched in the last seconds, each rule's flapping targets, the deliveries and the
// events of a digest.
import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type {
  Database,
  NotificationDeliveryEventTable,
  NotificationDeliveryTable,
} from "../../../db/schema.ts";
import { idFloor } from "../../../lib/ids.ts";

export type DeliveryRow = Selectable<NotificationDeliveryTable>;
/** the prefix of delivery ids (time-ordered, plan.ts makes them) */
export const DELIVERY_ID = "ndl";
const MAIN = "main";
const CHUNK = 500;

/** Takes or renews the dispatcher's lease; true when this owner holds it. */
export async function takeLease(db: Kysely<Database>, owner: string, now: number, ms: number) {
  await db
    .insertInto("notification_dispatch")
    .values({ name: MAIN, cursor: "", lease_owner: null, lease_until: 0 })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const r = await db
    .updateTable("notification_dispatch")
    .set({ lease_owner: owner, lease_until: now + ms })
    .where("name", "=", MAIN)
    .where((eb) => eb.or([eb("lease_owner", "=", owner), eb("lease_until", "<", now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseLease(db: Kysely<Database>, owner: string) {
  await db
    .updateTable("notification_dispatch")
    .set({ lease_owner: null, lease_until: 0 })
    .where("name", "=", MAIN)
    .where("lease_owner", "=", owner)
    .execute();
}

/** The cursor, when `owner` still holds the lease (in the dispatching transaction). */
export async function cursorOf(db: Kysely<Database>, owner: string) {
  const row = await db
    .selectFrom("notification_dispatch")
    .select("cursor")
    .where("name", "=", MAIN)
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  return row?.cursor;
}

/** Moves the cursor; throws when the lease was lost (the transaction then records nothing). */
export async function moveCursor(db: Kysely<Database>, owner: string, cursor: string) {
  const r = await db
    .updateTable("notification_dispatch")
    .set({ cursor })
    .where("name", "=", MAIN)
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error("the dispatcher's lease was lost");
}

/**
 * When the oldest transaction still open on this database began (ms), on PostgreSQL: an event
 * not yet committed was made by one of them, so its id is not older than that; null when none
 * is open but this one (or on SQLite, whose one writer commits before another writes).
 */
export async function oldestOpenSince(db: Kysely<Database>, postgres: boolean) {
  if (!postgres) return null;
  const { rows } = await sql<{ since: string | null }>`
    select floor(extract(epoch from min(xact_start)) * 1000)::bigint as since
    from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
      and state <> 'idle'`.execute(db);
  const since = rows[0]?.since;
  return since === null || since === undefined ? null : Number(since);
}

export async function dispatchedAmong(db: Kysely<Database>, ids: string[]) {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("notification_dispatched")
      .select("event_id")
      .where("event_id", "in", ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.add(r.event_id);
  }
  return out;
}

export async function markDispatched(db: Kysely<Database>, ids: string[]) {
  for (let i = 0; i < ids.length; i += CHUNK)
    await db
      .insertInto("notification_dispatched")
      .values(ids.slice(i, i + CHUNK).map((event_id) => ({ event_id })))
      .execute();
}

/** Forgets dispatched events older than the re-read window. */
export async function pruneDispatched(db: Kysely<Database>, beforeId: string) {
  await db.deleteFrom("notification_dispatched").where("event_id", "<", beforeId).execute();
}

/** When the rule last delivered (or holds) an event of this repeat key. */
export async function lastDelivered(db: Kysely<Database>, ruleId: string, repeatKey: string) {
  const row = await db
    .selectFrom("notification_deliveries")
    .select("created_at")
    .where("rule_id", "=", ruleId)
    .where("repeat_key", "=", repeatKey)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.created_at) : null;
}

/**
 * Adds an event to the rule's pending delivery of this group on this channel whose window
 * ends after `at`, the event's time (not the dispatcher's: a dispatcher behind by more than
 * the window still groups what happened within it); false when there is none (or its task
 * took it meanwhile: the update is conditional).
 */
export async function joinGroup(
  db: Kysely<Database>,
  key: { ruleId: string; groupKey: string; channelId: string },
  eventId: string,
  at: number,
  now: number,
) {
  const pending = await db
    .selectFrom("notification_deliveries")
    .select("id")
    .where("rule_id", "=", key.ruleId)
    .where("group_key", "=", key.groupKey)
    .where("channel_id", "=", key.channelId)
    .where("state", "=", "pending")
    .where("due_at", ">", at)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!pending) return false;
  const r = await db
    .updateTable("notification_deliveries")
    .set((eb) => ({ event_count: eb("event_count", "+", 1), updated_at: now }))
    .where("id", "=", pending.id)
    .where("state", "=", "pending")
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return false;
  await db
    .insertInto("notification_delivery_events")
    .values({ delivery_id: pending.id, event_id: eventId })
    .execute();
  return true;
}

export async function insertDeliveries(
  db: Kysely<Database>,
  rows: Insertable<NotificationDeliveryTable>[],
  events: NotificationDeliveryEventTable[],
) {
  for (let i = 0; i < rows.length; i += CHUNK / 5)
    await db
      .insertInto("notification_deliveries")
      .values(rows.slice(i, i + CHUNK / 5))
      .execute();
  for (let i = 0; i < events.length; i += CHUNK)
    await db
      .insertInto("notification_delivery_events")
      .values(events.slice(i, i + CHUNK))
      .execute();
}

export async function isFlapping(db: Kysely<Database>, ruleId: string, targetKey: string) {
  const row = await db
    .selectFrom("notification_flaps")
    .select("since")
    .where("rule_id", "=", ruleId)
    .where("target_key", "=", targetKey)
    .executeTakeFirst();
  return row !== undefined;
}

export async function setFlapping(
  db: Kysely<Database>,
  ruleId: string,
  targetKey: string,
  since: number | null,
) {
  if (since === null) {
    await db
      .deleteFrom("notification_flaps")
      .where("rule_id", "=", ruleId)
      .where("target_key", "=", targetKey)
      .execute();
    return;
  }
  await db
    .insertInto("notification_flaps")
    .values({ rule_id: ruleId, target_key: targetKey, since })
    .onConflict((oc) => oc.columns(["rule_id", "target_key"]).doNothing())
    .execute();
}

/** The cursor of the dispatcher: the newest event it has dispatched ("" before its first). */
export async function dispatchCursor(db: Kysely<Database>) {
  const row = await db
    .selectFrom("notification_dispatch")
    .select("cursor")
    .where("name", "=", MAIN)
    .executeTakeFirst();
  return row?.cursor ?? "";
}

/**
 * The first delivery of the same rule (or the emergency contact's) to the same channel made
 * before `delivery` and since `since` that has no final outcome yet: the one it waits for.
 */
export const earlierUnfinished = (db: Kysely<Database>, delivery: DeliveryRow, since: number) =>
  db
    .selectFrom("notification_deliveries")
    .select(["id", "due_at", "attempts", "updated_at"])
    .where("channel_id", "=", delivery.channel_id)
    .where("state", "in", ["pending", "sending"])
    .where("id", "<", delivery.id)
    .where((eb) =>
      delivery.rule_id === null ? eb("rule_id", "is", null) : eb("rule_id", "=", delivery.rule_id),
    )
    .where("created_at", ">=", since)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();

/** Takes a delivery for an attempt (pending, or sending after a crashed attempt). */
export async function claimDelivery(db: Kysely<Database>, id: string, now: number) {
  const r = await db
    .updateTable("notification_deliveries")
    .set((eb) => ({ state: "sending", attempts: eb("attempts", "+", 1), updated_at: now }))
    .where("id", "=", id)
    .where("state", "in", ["pending", "sending"])
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return undefined;
  return findDelivery(db, id);
}

/** A page of a channel's deliveries, newest first: (channel, id) or (channel, state, id). */
export const listDeliveries = (
  db: Kysely<Database>,
  channelId: string,
  f: { state?: DeliveryRow["state"]; from?: string; to?: string; limit: number; cursor?: string },
) => {
  let q = db
    .selectFrom("notification_deliveries")
    .selectAll()
    .where("channel_id", "=", channelId)
    .orderBy("id", "desc")
    .limit(f.limit + 1);
  if (f.state) q = q.where("state", "=", f.state);
  if (f.cursor) q = q.where("id", "<", f.cursor);
  if (f.from)
    q = q
      .where("created_at", ">=", Date.parse(f.from))
      .where("id", ">=", idFloor(DELIVERY_ID, f.from, -1));
  if (f.to)
    q = q
      .where("created_at", "<", Date.parse(f.to))
      .where("id", "<", idFloor(DELIVERY_ID, f.to, 1));
  return q.execute();
};

/** Every delivery of a rule or a channel, oldest first (tests and the bench read them). */
export const deliveriesBy = (db: Kysely<Database>, column: "rule_id" | "channel_id", id: string) =>
  db
    .selectFrom("notification_deliveries")
    .selectAll()
    .where(column, "=", id)
    .orderBy("id")
    .execute();

export const findDelivery = (db: Kysely<Database>, id: string) =>
  db.selectFrom("notification_deliveries").selectAll().where("id", "=", id).executeTakeFirst();

/** The events of a delivery: its first, then those that joined it, in id order. */
export async function deliveryEventIds(db: Kysely<Database>, delivery: DeliveryRow) {
  const joined = await db
    .selectFrom("notification_delivery_events")
    .select("event_id")
    .where("delivery_id", "=", delivery.id)
    .orderBy("event_id")
    .execute();
  return [...new Set([delivery.event_id, ...joined.map((r) => r.event_id)])].sort();
}

export async function updateDelivery(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Omit<DeliveryRow, "id">>,
) {
  await db.updateTable("notification_deliveries").set(patch).where("id", "=", id).execute();
}
