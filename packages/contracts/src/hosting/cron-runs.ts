// Scheduled runs of cron jobs, reported back (docs/hosting.md#scheduled-runs-reported-back):
// each cron.d line runs the agent's `cron-exec <account> <job>` as root, which runs the job as
// its user, keeps the result in a root-only spool and pings the job's heartbeat monitor; the
// panel takes the spool with cron.collect (acknowledging what it recorded) and records the
// runs in cron_runs (kind "scheduled").
import { z } from "zod";

/** A heartbeat monitor's token as the monitors module makes them (32 bytes, base64url). */
export const heartbeatToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "must be a heartbeat token");

/** Each stream of a scheduled run keeps its last this many bytes (the panel stores them). */
export const CRON_RUN_TAIL_MAX = 8 * 1024;

const spoolId = z.string().regex(/^[0-9]{13}-[a-f0-9]{12}$/, "must be a spool entry id");
const jobRef = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** One scheduled run as cron-exec leaves it in the spool. */
export const cronRunRecord = z.object({
  id: spoolId,
  accountId: jobRef,
  jobId: jobRef,
  user: z.string(),
  /** null: the job never started (its file or user was refused); `error` says why */
  uid: z.number().nullable(),
  exitCode: z.number().nullable(),
  error: z.string().nullable(),
  /** epoch ms */
  startedAt: z.number(),
  durationMs: z.number(),
  stdout: z.string(),
  stderr: z.string(),
  /** the heartbeat ping: sent (2xx), failed (with why), or none (no monitor, or the run failed) */
  heartbeat: z.enum(["sent", "failed", "none"]),
  heartbeatError: z.string().nullable(),
});
export type CronRunRecord = z.infer<typeof cronRunRecord>;

/** cron.collect: the spool's oldest runs; `ack` removes the ones the panel recorded. */
export const cronCollectInput = z.strictObject({
  ack: z.array(spoolId).max(500).default([]),
  limit: z.number().int().min(0).max(500).default(100),
});
export const cronCollectOutput = z.object({
  runs: z.array(cronRunRecord),
  /** runs still in the spool after this answer's */
  more: z.number(),
});
export type CronCollectOutput = z.infer<typeof cronCollectOutput>;
