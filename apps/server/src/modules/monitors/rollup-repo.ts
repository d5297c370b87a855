// SQL of the monitors' roll-ups (migration 026) and of the aggregates of raw results they are
// made of: the roll-up task writes them, the series reads them.
import type { Kysely } from "kysely";
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

const num = (v: number | null) => (v === null ? null : Number(v));

/**
 * The checks of these monitors in [from, to), per bucket of `bucketMs` from `from`: counts,
 * maximum and nearest-rank p50/p95 of the response times. The rows are one walk of the
 * results' primary key (no sort in the database); they are counted here, a page of monitors at
 * a time (the caller's), so what is held is that page's rows.
 */
export async function aggregateResults(
  db: Kysely<Database>,
  o: { monitorIds: readonly string[]; from: number; to: number; bucketMs: number },
): Promise<Bucket[]> {
  if (!o.monitorIds.length) return [];
  const rows = await db
    .selectFrom("monitor_results")
    .select(["monitor_id", "at", "outcome", "response_ms"])
    .where("monitor_id", "in", [...o.monitorIds])
    .where("at", ">=", o.from)
    .where("at", "<", o.to)
    .execute();
  const groups = new Map<string, { bucket: Bucket; times: number[] }>();
  for (const r of rows) {
    const start = o.from + Math.floor((Number(r.at) - o.from) / o.bucketMs) * o.bucketMs;
    const key = `${r.monitor_id} ${start}`;
    let group = groups.get(key);
    if (!group) {
      const bucket = { monitorId: r.monitor_id, start, checks: 0, up: 0, degraded: 0 };
      group = { bucket: { ...bucket, p50: null, p95: null, max: null }, times: [] };
      groups.set(key, group);
    }
    group.bucket.checks += 1;
    if (r.outcome === "up") group.bucket.up += 1;
    if (r.outcome === "degraded") group.bucket.degraded += 1;
    if (r.response_ms !== null) group.times.push(Number(r.response_ms));
  }
  return [...groups.values()].map(({ bucket, times }) => ({ ...bucket, ...percentiles(times) }));
}

/** Nearest rank: the smallest time whose rank among the measured reaches 50 % or 95 %. */
export function percentiles(times: number[]): Pick<Bucket, "p50" | "p95" | "max"> {
  if (!times.length) return { p50: null, p95: null, max: null };
  const sorted = times.sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p * sorted.length) / 100) - 1)] ?? null;
  return { p50: rank(50), p95: rank(95), max: sorted.at(-1) ?? null };
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
