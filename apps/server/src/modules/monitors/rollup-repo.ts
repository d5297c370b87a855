// SQL of the monitors' roll-ups (migration 026) and of the aggregates of raw results they are
// made of: the roll-up task writes them, the series reads them.
import { type Kysely, sql } from "kysely";
import type { Database, MonitorRollupTable } from "../../db/schema.ts";

export type Grain = MonitorRollupTable["grain"];

/** One bucket of a monitor's checks: the shape of a roll-up row. */
export interface Bucket {
  monitorId: string;
  start: number;
  checks: number;
  up: number;
  degraded: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The checks of these monitors in [from, to), per bucket of `bucketMs` from `from`: counts,
 * maximum and nearest-rank p50/p95 of the response times (the smallest time whose rank among
 * the bucket's measured times reaches 50 % or 95 %), computed by the database with window
 * functions in one walk of the results' primary key.
 */
export async function aggregateResults(
  db: Kysely<Database>,
  o: { monitorIds: readonly string[]; from: number; to: number; bucketMs: number },
): Promise<Bucket[]> {
  if (!o.monitorIds.length) return [];
  const ids = sql.join(o.monitorIds.map((id) => sql`${id}`));
  const rows = await sql<{
    monitor_id: string;
    b: number;
    checks: number;
    up: number;
    degraded: number;
    p50: number | null;
    p95: number | null;
    max: number | null;
  }>`
    with bucketed as (
      select monitor_id, outcome, response_ms, cast((at - ${o.from}) / ${o.bucketMs} as integer) as b
      from monitor_results
      where monitor_id in (${ids}) and at >= ${o.from} and at < ${o.to}
    ), ranked as (
      select monitor_id, b, outcome, response_ms,
        row_number() over (partition by monitor_id, b, response_ms is null order by response_ms) as rn,
        count(response_ms) over (partition by monitor_id, b) as n
      from bucketed
    )
    select monitor_id, b, count(*) as checks,
      sum(case when outcome = 'up' then 1 else 0 end) as up,
      sum(case when outcome = 'degraded' then 1 else 0 end) as degraded,
      min(case when response_ms is not null and rn * 100 >= n * 50 then response_ms end) as p50,
      min(case when response_ms is not null and rn * 100 >= n * 95 then response_ms end) as p95,
      max(response_ms) as max
    from ranked
    group by monitor_id, b
    order by monitor_id, b`.execute(db);
  return rows.rows.map((r) => ({
    monitorId: r.monitor_id,
    start: o.from + Number(r.b) * o.bucketMs,
    checks: Number(r.checks),
    up: Number(r.up),
    degraded: Number(r.degraded),
    p50: num(r.p50),
    p95: num(r.p95),
    max: num(r.max),
  }));
}

/** Writes the buckets as roll-ups of `grain`, replacing what a previous run wrote. */
export async function upsertRollups(db: Kysely<Database>, grain: Grain, buckets: Bucket[]) {
  if (!buckets.length) return;
  await db
    .insertInto("monitor_rollups")
    .values(
      buckets.map((b) => ({
        monitor_id: b.monitorId,
        grain,
        start: b.start,
        checks: b.checks,
        up_checks: b.up,
        degraded_checks: b.degraded,
        p50_ms: b.p50,
        p95_ms: b.p95,
        max_ms: b.max,
      })),
    )
    .onConflict((c) =>
      c.columns(["monitor_id", "grain", "start"]).doUpdateSet((eb) => ({
        checks: eb.ref("excluded.checks"),
        up_checks: eb.ref("excluded.up_checks"),
        degraded_checks: eb.ref("excluded.degraded_checks"),
        p50_ms: eb.ref("excluded.p50_ms"),
        p95_ms: eb.ref("excluded.p95_ms"),
        max_ms: eb.ref("excluded.max_ms"),
      })),
    )
    .execute();
}

/** A monitor's roll-ups of `grain` in [from, to), oldest first (a range of the primary key). */
export async function listRollups(
  db: Kysely<Database>,
  o: { monitorId: string; grain: Grain; from: number; to: number },
): Promise<Bucket[]> {
  const rows = await db
    .selectFrom("monitor_rollups")
    .selectAll()
    .where("monitor_id", "=", o.monitorId)
    .where("grain", "=", o.grain)
    .where("start", ">=", o.from)
    .where("start", "<", o.to)
    .orderBy("start")
    .execute();
  return rows.map((r) => ({
    monitorId: r.monitor_id,
    start: Number(r.start),
    checks: Number(r.checks),
    up: Number(r.up_checks),
    degraded: Number(r.degraded_checks),
    p50: num(r.p50_ms),
    p95: num(r.p95_ms),
    max: num(r.max_ms),
  }));
}

/** Until when `grain` is rolled up (every period before it is), or null before the first run. */
export async function rollupMark(db: Kysely<Database>, grain: Grain): Promise<number | null> {
  const row = await db
    .selectFrom("monitor_rollup_marks")
    .select("rolled_until")
    .where("grain", "=", grain)
    .executeTakeFirst();
  return row ? Number(row.rolled_until) : null;
}

export async function setRollupMark(db: Kysely<Database>, grain: Grain, until: number) {
  await db
    .insertInto("monitor_rollup_marks")
    .values({ grain, rolled_until: until })
    .onConflict((c) => c.column("grain").doUpdateSet({ rolled_until: until }))
    .execute();
}

/** Deletes these monitors' roll-ups of `grain` that started before `before`; how many. */
export async function pruneRollups(
  db: Kysely<Database>,
  o: { monitorIds: readonly string[]; grain: Grain; before: number },
): Promise<number> {
  if (!o.monitorIds.length) return 0;
  const r = await db
    .deleteFrom("monitor_rollups")
    .where("monitor_id", "in", [...o.monitorIds])
    .where("grain", "=", o.grain)
    .where("start", "<", o.before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
