// A monitor's series (docs/monitors.md, "History"): every bucket of a range, from the roll-ups
// up to their mark and from the raw results after it (the periods not rolled up yet).
import type { MonitorSeries, SeriesBucket, SeriesRange } from "@steward/contracts/monitors";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { msToIso } from "../../lib/sql.ts";
import { DAY, floorTo, HOUR } from "./rollup.ts";
import {
  aggregateResults,
  type Bucket,
  type Grain,
  listRollups,
  rollupMark,
} from "./rollup-repo.ts";

const RANGES: Record<SeriesRange, { bucketMs: number; count: number; grain: Grain | null }> = {
  "24h": { bucketMs: 10 * 60_000, count: 144, grain: null },
  "7d": { bucketMs: HOUR, count: 168, grain: "hour" },
  "30d": { bucketMs: DAY, count: 30, grain: "day" },
  "90d": { bucketMs: DAY, count: 90, grain: "day" },
};

const percent = (part: number, whole: number) =>
  whole ? Math.round((part / whole) * 100_000) / 1000 : null;

/** These monitors' buckets of `range` up to `now`: rolled up where they are, raw after. */
export async function seriesBuckets(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  range: SeriesRange,
  now: number,
): Promise<{ from: number; to: number; bucketMs: number; rows: Bucket[] }> {
  const { bucketMs, count, grain } = RANGES[range];
  const to = floorTo(now, bucketMs) + bucketMs;
  const from = to - count * bucketMs;
  const rows: Bucket[] = [];
  let rawFrom = from;
  const mark = grain ? await rollupMark(db, grain) : null;
  if (grain && mark !== null && mark > from) {
    rawFrom = Math.min(mark, to);
    for (const monitorId of monitorIds)
      rows.push(...(await listRollups(db, { monitorId, grain, from, to: rawFrom })));
  }
  if (rawFrom < to)
    rows.push(...(await aggregateResults(db, { monitorIds, from: rawFrom, to, bucketMs })));
  return { from, to, bucketMs, rows };
}

/** Every bucket from `from` to `to`, oldest first; those without checks empty. */
export function denseBuckets(
  rows: readonly Bucket[],
  o: { from: number; to: number; bucketMs: number },
): SeriesBucket[] {
  const byStart = new Map(rows.map((r) => [r.start, r]));
  const out: SeriesBucket[] = [];
  for (let start = o.from; start < o.to; start += o.bucketMs) {
    const r = byStart.get(start);
    out.push({
      start: msToIso(start),
      checks: r?.checks ?? 0,
      up: r?.up ?? 0,
      degraded: r?.degraded ?? 0,
      uptime: r ? percent(r.up + r.degraded, r.checks) : null,
      p50Ms: r?.p50 ?? null,
      p95Ms: r?.p95 ?? null,
      maxMs: r?.max ?? null,
    });
  }
  return out;
}

/** Uptime in percent over the buckets, and their checks. */
export function uptimeOf(buckets: readonly Pick<SeriesBucket, "checks" | "up" | "degraded">[]) {
  let checks = 0;
  let good = 0;
  for (const b of buckets) {
    checks += b.checks;
    good += b.up + b.degraded;
  }
  return { checks, uptime: percent(good, checks) };
}

export async function monitorSeries(
  db: Kysely<Database>,
  monitorId: string,
  range: SeriesRange,
  now: number,
): Promise<MonitorSeries> {
  const found = await seriesBuckets(db, [monitorId], range, now);
  const buckets = denseBuckets(found.rows, found);
  return {
    range,
    bucketSeconds: found.bucketMs / 1000,
    from: msToIso(found.from),
    to: msToIso(found.to),
    ...uptimeOf(buckets),
    buckets,
  };
}
