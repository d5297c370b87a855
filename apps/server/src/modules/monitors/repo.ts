// SQL of monitors and their results, nothing else.
import {
  type Monitor,
  type MonitorCreate,
  type MonitorResult,
  type MonitorSettings,
  monitorSettings,
  monitorTarget,
  quorumOf,
  RECENT_CHECKS,
  type RecentCheck,
} from "@steward/contracts/monitors";
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from "kysely";
import type { Database, MonitorResultTable, MonitorTable } from "../../db/schema.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { isoOrNull, likeContains, msToIso, toBool } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type MonitorRow = Selectable<MonitorTable>;
export type NewMonitor = Insertable<MonitorTable>;
export type ResultRow = Insertable<MonitorResultTable>;

export const settingsOf = (row: Pick<MonitorRow, "settings">): MonitorSettings =>
  monitorSettings.parse(JSON.parse(row.settings));

export function toMonitor(row: MonitorRow): Monitor {
  const settings = settingsOf(row);
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: row.kind,
    target: monitorTarget(settings),
    settings,
    intervalSeconds: Math.round(Number(row.interval_ms) / 1000),
    timeoutSeconds: Math.round(Number(row.timeout_ms) / 1000),
    retries: Number(row.retries),
    paused: toBool(row.paused),
    maintenance: JSON.parse(row.maintenance),
    locations: JSON.parse(row.locations),
    quorum: quorumOf(JSON.parse(row.locations), row.quorum === null ? null : Number(row.quorum)),
    state: row.state,
    stateSince: msToIso(Number(row.state_since)),
    flapping: toBool(row.flapping),
    consecutiveFailures: Number(row.consecutive_failures),
    nextCheckAt: toBool(row.paused) ? null : msToIso(Number(row.next_due)),
    lastCheckAt: isoOrNull(row.last_check_at === null ? null : Number(row.last_check_at)),
    lastResponseMs: row.last_response_ms === null ? null : Number(row.last_response_ms),
    lastMessage: row.last_message,
    siteId: row.site_id,
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** The orders of the monitors list, each an index walk (migration 023). */
export const monitorOrder = keyset("monitors.id", {
  name: { sql: "monitors.name" },
  createdAt: "id",
});

/** A page of monitors; what an actor sees is read one account (or monitor) at a time. */
export async function listMonitors(
  db: Kysely<Database>,
  scope: ListScope,
  f: { state?: string; kind?: string; account?: string; q?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("monitors").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.state) q = q.where("state", "=", f.state as MonitorRow["state"]);
  if (f.kind) q = q.where("kind", "=", f.kind as MonitorRow["kind"]);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.q) q = q.where(likeContains(sql`lower(monitors.name)`, f.q.toLowerCase()));
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  const page = f.walk.page(rows, f.limit, toMonitor);
  const recent = await recentChecks(
    db,
    page.items.map((m) => m.id),
  );
  return {
    ...page,
    items: page.items.map((m) => ({ ...m, recent: recent.get(m.id) ?? [] })),
  };
}

/**
 * The latest checks of each of `ids` (a list page's), oldest first, in one statement: a walk
 * back along each monitor's primary key (monitor, time) for its last RECENT_CHECKS rows.
 */
export async function recentChecks(db: Kysely<Database>, ids: readonly string[]) {
  const byId = new Map<string, RecentCheck[]>();
  const branches = ids.map((id, n) =>
    db
      .selectFrom(
        db
          .selectFrom("monitor_results")
          .select(["monitor_id", "at", "outcome", "response_ms"])
          .where("monitor_id", "=", id)
          .orderBy("at", "desc")
          .limit(RECENT_CHECKS)
          .as(`r${n}`),
      )
      .selectAll(),
  );
  const [first, ...rest] = branches;
  if (!first) return byId;
  const rows = await rest.reduce((q, branch) => q.unionAll(branch), first).execute();
  for (const row of rows.toReversed()) {
    const list = byId.get(row.monitor_id) ?? [];
    list.push({
      at: msToIso(Number(row.at)),
      ok: row.outcome !== "down",
      ms: row.response_ms === null ? null : Number(row.response_ms),
    });
    byId.set(row.monitor_id, list);
  }
  return byId;
}

export const findMonitor = (db: Kysely<Database>, id: string) =>
  db.selectFrom("monitors").selectAll().where("id", "=", id).executeTakeFirst();

export const findByHeartbeat = (db: Kysely<Database>, hash: string) =>
  db.selectFrom("monitors").selectAll().where("heartbeat_hash", "=", hash).executeTakeFirst();

/** The row of a new monitor: pending, due now. */
export function newMonitorRow(
  id: string,
  accountId: string | null,
  input: MonitorCreate,
  extra: { now: number; heartbeatHash?: string | null; siteId?: string | null },
): NewMonitor {
  return {
    id,
    account_id: accountId,
    name: input.name,
    kind: input.settings.kind,
    settings: JSON.stringify(input.settings),
    interval_ms: input.intervalSeconds * 1000,
    timeout_ms: input.timeoutSeconds * 1000,
    retries: input.retries,
    paused: input.paused ? 1 : 0,
    maintenance: JSON.stringify(input.maintenance),
    locations: JSON.stringify(input.locations),
    quorum: input.quorum ?? null,
    state: "pending",
    state_since: extra.now,
    next_due: extra.now,
    heartbeat_hash: extra.heartbeatHash ?? null,
    site_id: extra.siteId ?? null,
    created_at: extra.now,
    updated_at: extra.now,
  };
}

/** A site's default monitor (migration 028), if it has one. */
export const findSiteMonitor = (db: Kysely<Database>, siteId: string) =>
  db.selectFrom("monitors").selectAll().where("site_id", "=", siteId).executeTakeFirst();

export async function insertMonitor(db: Kysely<Database>, row: NewMonitor) {
  await db.insertInto("monitors").values(row).execute();
}

export async function updateMonitor(
  db: Kysely<Database>,
  id: string,
  set: Updateable<MonitorTable>,
) {
  await db.updateTable("monitors").set(set).where("id", "=", id).execute();
}

export async function deleteMonitor(db: Kysely<Database>, id: string) {
  await db.deleteFrom("monitor_results").where("monitor_id", "=", id).execute();
  await db.deleteFrom("monitors").where("id", "=", id).execute();
}

/** One statement for a tick's results (the scheduler's batch). */
export async function insertResults(db: Kysely<Database>, rows: readonly ResultRow[]) {
  if (rows.length)
    await db
      .insertInto("monitor_results")
      .values([...rows])
      .onConflict((c) => c.doNothing())
      .execute();
}

/** A results page's cursor: the last row's time and location (a time alone: the panel's). */
export type ResultCursor = { at: number; location: string };

/**
 * A monitor's results, newest first (the primary key's walk: time, then location), from `to`
 * (excluded) back to `from`, after the cursor; one location's only when `location` is given.
 */
export async function listResults(
  db: Kysely<Database>,
  monitorId: string,
  f: { from?: number; to?: number; cursor?: ResultCursor; location?: string; limit: number },
): Promise<{ items: MonitorResult[]; nextCursor: string | null }> {
  let q = db
    .selectFrom("monitor_results")
    .select(["at", "location", "outcome", "response_ms", "message"])
    .where("monitor_id", "=", monitorId)
    .orderBy("at", "desc")
    .limit(f.limit + 1);
  if (f.to !== undefined) q = q.where("at", "<", f.to);
  if (f.from !== undefined) q = q.where("at", ">=", f.from);
  const c = f.cursor;
  // one location's: a walk of (monitor, location, time), one row per time
  if (f.location !== undefined) {
    q = q.where("location", "=", f.location);
    if (c) q = q.where("at", "<", c.at);
  } else {
    q = q.orderBy("location", "desc");
    if (c)
      q = q.where((w) =>
        w.or([w("at", "<", c.at), w.and([w("at", "=", c.at), w("location", "<", c.location)])]),
      );
  }
  const rows = await q.execute();
  const items = rows.slice(0, f.limit).map((r) => ({
    at: msToIso(Number(r.at)),
    location: r.location,
    outcome: r.outcome,
    responseMs: r.response_ms === null ? null : Number(r.response_ms),
    message: r.message,
  }));
  const last = rows[f.limit - 1];
  const next = last ? `${last.at}-${last.location}` : null;
  return { items, nextCursor: rows.length > f.limit ? next : null };
}

/** A page of monitor ids after `after`, in id order (the roll-up and pruning walks). */
export async function monitorIdPage(db: Kysely<Database>, after: string, limit: number) {
  const rows = await db
    .selectFrom("monitors")
    .select("id")
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Deletes these monitors' results older than `before` (the roll-up task, a page of monitors at
 * a time); how many. Each monitor's old results are a range of the primary key.
 */
export async function pruneResults(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  before: number,
): Promise<number> {
  if (!monitorIds.length) return 0;
  const r = await db
    .deleteFrom("monitor_results")
    .where("monitor_id", "in", [...monitorIds])
    .where("at", "<", before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// The scheduler's leases (docs/monitors.md): a panel holds the monitors it runs until
// lease_until, renewing while it runs; one whose lease ended is free for any panel.

/** Takes up to `max` free monitors for `owner` until `until`; their rows. */
export async function claimFree(
  db: Kysely<Database>,
  o: { owner: string; now: number; until: number; max: number; postgres: boolean },
): Promise<MonitorRow[]> {
  let free = db
    .selectFrom("monitors")
    .select("id")
    .where("lease_until", "<", o.now)
    .orderBy("lease_until")
    .limit(o.max);
  if (o.postgres) free = free.forUpdate().skipLocked();
  return db
    .updateTable("monitors")
    .set({ lease_owner: o.owner, lease_until: o.until })
    .where("id", "in", free)
    .where("lease_until", "<", o.now)
    .returningAll()
    .execute();
}

/** Takes these monitors when free, or renews them when `owner` holds them: their rows. */
export function claimIds(
  db: Kysely<Database>,
  o: { owner: string; ids: readonly string[]; now: number; until: number },
): Promise<MonitorRow[]> {
  if (!o.ids.length) return Promise.resolve([]);
  return db
    .updateTable("monitors")
    .set({ lease_owner: o.owner, lease_until: o.until })
    .where("id", "in", [...o.ids])
    .where((eb) => eb.or([eb("lease_until", "<", o.now), eb("lease_owner", "=", o.owner)]))
    .returningAll()
    .execute();
}

/** Extends `owner`'s leases; the monitors it still holds, with when each last changed. */
export function renewLeases(db: Kysely<Database>, owner: string, until: number) {
  return db
    .updateTable("monitors")
    .set({ lease_until: until })
    .where("lease_owner", "=", owner)
    .returning(["id", "updated_at"])
    .execute();
}

export function monitorsByIds(db: Kysely<Database>, ids: readonly string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom("monitors")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
}

/** Frees `owner`'s leases (a panel stopping), so another takes them at once. */
export async function releaseLeases(db: Kysely<Database>, owner: string) {
  await db
    .updateTable("monitors")
    .set({ lease_owner: null, lease_until: 0 })
    .where("lease_owner", "=", owner)
    .execute();
}

/** The status a check leaves, written by the scheduler for a monitor it holds. */
export interface StatusWrite {
  state: MonitorRow["state"];
  state_since: number;
  consecutive_failures: number;
  next_due: number;
  last_check_at: number;
  last_response_ms: number | null;
  last_message: string | null;
  flapping: number;
  transitions: string;
}

/** rows per statement of the batched writes */
const CHUNK = 500;

/** The status columns, with their casts (VALUES' parameters are text to PostgreSQL). */
const STATUS_COLUMNS = [
  ["state", null],
  ["state_since", "bigint"],
  ["consecutive_failures", "integer"],
  ["next_due", "bigint"],
  ["last_check_at", "bigint"],
  ["last_response_ms", "integer"],
  ["last_message", null],
  ["flapping", "integer"],
  ["transitions", null],
] as const satisfies readonly (readonly [keyof StatusWrite, string | null])[];

/**
 * The statuses of many monitors in one statement per 500 (a relation of VALUES joined on the
 * id), each only while `owner` holds its lease (any for a check now, `owner` null).
 */
export async function writeStatuses(
  db: Kysely<Database>,
  owner: string | null,
  statuses: readonly { id: string; set: StatusWrite }[],
) {
  const names = sql.join(STATUS_COLUMNS.map(([name]) => sql.ref(name)));
  const assigned = sql.join(
    STATUS_COLUMNS.map(([name, type]) => {
      const value = sql.ref(`v.${name}`);
      return sql`${sql.ref(name)} = ${type ? sql`cast(${value} as ${sql.raw(type)})` : value}`;
    }),
  );
  const held = owner === null ? sql`` : sql`and monitors.lease_owner = ${owner}`;
  for (let i = 0; i < statuses.length; i += CHUNK) {
    const rows = statuses
      .slice(i, i + CHUNK)
      .map(({ id, set }) => sql`(${sql.join([id, ...STATUS_COLUMNS.map(([name]) => set[name])])})`);
    await sql`with v(id, ${names}) as (values ${sql.join(rows)})
      update monitors set ${assigned} from v where monitors.id = v.id ${held}`.execute(db);
  }
}

/** Of `ids`, those whose lease `owner` holds (a batch's results are written for these only). */
export async function heldBy(db: Kysely<Database>, owner: string, ids: readonly string[]) {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom("monitors")
      .select("id")
      .where("id", "in", ids.slice(i, i + CHUNK))
      .where("lease_owner", "=", owner)
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** How many monitors an account owns apart from its sites' default ones, which go with their
 *  sites (an account that owns any is not deleted). */
export async function countOfAccount(db: Kysely<Database>, accountId: string) {
  const row = await db
    .selectFrom("monitors")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("account_id", "=", accountId)
    .where("site_id", "is", null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
