// The cron jobs API (docs/hosting.md#cron-jobs): `/api/v1/cron-jobs` and `/{id}/run`.
import { z } from "zod";
import { id } from "../validators.ts";
import { cronCommand, cronDSchedule, cronEnv } from "./cron.ts";

export const cronJobCreate = z.strictObject({
  account: id,
  /** one of the account's system users (its node is the job's) */
  systemUser: id,
  schedule: cronDSchedule,
  command: cronCommand,
  env: cronEnv.default({}),
  enabled: z.boolean().default(true),
  /** a heartbeat monitor of the account for the job, pinged by the node after each run that exits 0 */
  heartbeat: z.boolean().default(false),
});
export type CronJobCreate = z.infer<typeof cronJobCreate>;

export const cronJobUpdate = z
  .strictObject({
    schedule: cronDSchedule.optional(),
    command: cronCommand.optional(),
    env: cronEnv.optional(),
    enabled: z.boolean().optional(),
    heartbeat: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "must change something");
export type CronJobUpdate = z.infer<typeof cronJobUpdate>;

export const cronJobListQuery = z.strictObject({ account: id.optional() });

export const cronJobDeleteQuery = z.strictObject({
  /** the job's id, again */
  confirm: z.string().max(64),
});

export const cronJobStatus = z.enum(["pending", "applied", "failed", "deleting"]);

export const cronJob = z.object({
  id: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  systemUserId: z.string(),
  /** the system user's name: what the line runs as */
  user: z.string(),
  schedule: z.string(),
  command: z.string(),
  env: cronEnv,
  enabled: z.boolean(),
  /** the node's file is as the job says (applied), being written (pending), or not (failed) */
  status: cronJobStatus,
  lastError: z.string().nullable(),
  taskId: z.string().nullable(),
  /**
   * the last run, now or scheduled: its task (a run now's, or the cron.collect that brought a
   * scheduled one), when it ended and its exit status (null: not run yet)
   */
  lastRun: z
    .object({
      taskId: z.string(),
      kind: z.enum(["manual", "scheduled"]),
      at: z.string().nullable(),
      exitCode: z.number().nullable(),
      state: z.enum(["running", "done", "failed"]),
      /** a scheduled run: the uid it ran as, the end of its output, why it did not start */
      uid: z.number().nullable(),
      output: z.string().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /** the job's heartbeat monitor (null: none) */
  heartbeatMonitorId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CronJob = z.infer<typeof cronJob>;

export const cronRunStarted = z.object({ taskId: z.string() });
