// A monitor's history for charts and uptime bars (docs/monitors.md, "History"): the buckets of
// a range, each with its checks, uptime and response times.
import { z } from "zod";

export const seriesRanges = ["24h", "7d", "30d", "90d"] as const;
export const seriesRange = z.enum(seriesRanges);
export type SeriesRange = z.infer<typeof seriesRange>;

export const monitorSeriesQuery = z.strictObject({ range: seriesRange.default("24h") });

export const seriesBucket = z.object({
  /** the bucket's start (ISO) */
  start: z.string(),
  checks: z.number(),
  up: z.number(),
  degraded: z.number(),
  /** (up + degraded) / checks in percent; null without checks */
  uptime: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
});
export type SeriesBucket = z.infer<typeof seriesBucket>;

export const monitorSeries = z.object({
  range: seriesRange,
  /** 600 (24h: from the raw results), 3600 (7d: hourly roll-ups), 86400 (30d, 90d: daily) */
  bucketSeconds: z.number(),
  from: z.string(),
  to: z.string(),
  /** over the whole range, in percent; null without checks */
  uptime: z.number().nullable(),
  checks: z.number(),
  /** every bucket of the range, oldest first, empty ones with 0 checks */
  buckets: z.array(seriesBucket),
});
export type MonitorSeries = z.infer<typeof monitorSeries>;
