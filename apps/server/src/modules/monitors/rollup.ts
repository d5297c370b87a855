// Monitor history (docs/monitors.md, "History"): the `monitor.rollup` task rolls each finished
// hour and day of every monitor's checks up (rollup-repo.ts), then prunes the raw results, the
// hourly and the daily roll-ups past their retention, a page of monitors at a time.
import { z } from "zod";
import type { Settings } from "../../config/schema.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import type { HandlerDef } from "../../engine/types.ts";
import { monitorIdPage, pruneResults } from "./repo.ts";
import {
  aggregateResults,
  type Grain,
  pruneRollups,
  rollupMark,
  setRollupMark,
  upsertRollups,
} from "./rollup-repo.ts";

export const MONITOR_ROLLUP = "monitor.rollup";
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const GRAIN_MS: Record<Grain, number> = { hour: HOUR, day: DAY };
/** how long the roll-ups are kept */
export const KEEP_MS: Record<Grain, number> = { hour: 90 * DAY, day: 730 * DAY };
/** a period is finished this long after its end (the last check's result is written by then) */
export const GRACE_MS = 2 * 60_000;
/** monitors per page: an hour is ~60 rows each at 60 s (30,000 a page), a day ~1,440 (72,000) */
const PAGE: Record<Grain, number> = { hour: 500, day: 50 };

export const floorTo = (at: number, size: number) => Math.floor(at / size) * size;

export interface RollupOptions {
  db: Db;
  /** how many days raw results are kept (monitorResultRetentionDays) */
  rawDays: number;
  now: number;
  signal?: AbortSignal;
}

/**
 * Rolls up the finished periods of `grain` from its mark on, each period for every monitor
 * before the mark moves past it: a run that stops
 * half-way redoes that period, and an upsert replaces what it wrote. How many periods.
 */
export async function rollUp(o: RollupOptions, grain: Grain): Promise<number> {
  const k = o.db.db;
  const size = GRAIN_MS[grain];
  // the first run starts where the raw results kept begin; pruning waits for the marks
  const mark = await rollupMark(k, grain);
  let start = mark ?? floorTo(o.now - o.rawDays * DAY, size);
  if (mark === null) await setRollupMark(k, grain, start);
  const end = floorTo(o.now - GRACE_MS, size);
  let periods = 0;
  for (; start + size <= end; start += size) {
    let after = "";
    for (;;) {
      o.signal?.throwIfAborted();
      const ids = await monitorIdPage(k, after, PAGE[grain]);
      if (!ids.length) break;
      const buckets = await aggregateResults(k, {
        monitorIds: ids,
        from: start,
        to: start + size,
        bucketMs: size,
      });
      await upsertRollups(k, grain, buckets);
      after = ids.at(-1) as string;
    }
    await setRollupMark(k, grain, start + size);
    periods += 1;
  }
  return periods;
}

export interface Pruned {
  results: number;
  hours: number;
  days: number;
}

/**
 * Deletes what is past its retention, a page of monitors at a time: raw results older than
 * `rawDays` that both grains have rolled up, hourly roll-ups after 90 days, daily after 2 years.
 */
export async function pruneHistory(o: RollupOptions): Promise<Pruned> {
  const k = o.db.db;
  const rolled = Math.min((await rollupMark(k, "hour")) ?? 0, (await rollupMark(k, "day")) ?? 0);
  const rawBefore = Math.min(o.now - o.rawDays * DAY, rolled);
  const pruned: Pruned = { results: 0, hours: 0, days: 0 };
  let after = "";
  for (;;) {
    o.signal?.throwIfAborted();
    const ids = await monitorIdPage(k, after, 500);
    if (!ids.length) return pruned;
    pruned.results += await pruneResults(k, ids, rawBefore);
    pruned.hours += await pruneRollups(k, {
      monitorIds: ids,
      grain: "hour",
      before: o.now - KEEP_MS.hour,
    });
    pruned.days += await pruneRollups(k, {
      monitorIds: ids,
      grain: "day",
      before: o.now - KEEP_MS.day,
    });
    after = ids.at(-1) as string;
  }
}

const none = z.strictObject({});

export function rollupTask(deps: {
  db: Db;
  settings: Pick<Settings, "monitorResultRetentionDays">;
  now?: () => number;
}): HandlerDef<typeof none> {
  return {
    kind: MONITOR_ROLLUP,
    description:
      "rolls every monitor's finished hours and days of checks up (uptime, p50/p95/max response time), then prunes raw results and roll-ups past their retention",
    payload: none,
    timeoutMs: 30 * 60_000,
    maxAttempts: 3,
    userCreatable: true,
    recurring: true,
    system: true,
    unique: () => "default",
    async run(ctx) {
      const o: RollupOptions = {
        db: deps.db,
        rawDays: deps.settings.monitorResultRetentionDays,
        now: deps.now?.() ?? Date.now(),
        signal: ctx.signal,
      };
      await ctx.progress(0, "rolling up hours");
      const hours = await rollUp(o, "hour");
      await ctx.progress(0.4, "rolling up days");
      const days = await rollUp(o, "day");
      await ctx.progress(0.7, "pruning");
      const pruned = await pruneHistory(o);
      ctx.log.info(
        `rolled up ${hours} hour(s) and ${days} day(s); deleted ${pruned.results} result(s), ${pruned.hours} hourly and ${pruned.days} daily roll-up(s) past their retention`,
      );
      await ctx.progress(1, "done");
      return { hours, days, pruned };
    },
  };
}

export function registerMonitorTasks(registry: Registry, deps: Parameters<typeof rollupTask>[0]) {
  registry.register(rollupTask(deps));
}
