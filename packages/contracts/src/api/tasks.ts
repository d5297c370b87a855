import { z } from "zod";
import { id, isoTime, text } from "../validators.ts";

export const taskStates = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const taskState = z.enum(taskStates);
export type TaskState = z.infer<typeof taskState>;
/** States a task does not leave on its own. */
export const finalTaskStates: readonly TaskState[] = ["succeeded", "failed", "cancelled"];

/** A registered task kind: "logrotate", "site.deploy"... */
export const taskKind = z
  .string()
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z][a-z0-9.-]*$/, "must be a task kind: lowercase letters, digits, dots and dashes");

/** A cron expression (croner: 5 or 6 fields, or @daily, @hourly...); checked by the server. */
export const cronExpression = text(120).pipe(z.string().trim().min(1, "must not be empty"));
/** An IANA time zone name such as Europe/Paris; checked by the server. */
export const timeZone = z
  .string()
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_+/-]*$/, "must be a time zone name like Europe/Paris");
export const taskPriority = z
  .number({ error: "must be a number from 0 (first) to 9 (last)" })
  .int("must be an integer from 0 (first) to 9 (last)")
  .min(0, "must be from 0 (first) to 9 (last)")
  .max(9, "must be from 0 (first) to 9 (last)");

/** The latest first run a new task may ask for. */
export const MAX_DELAY_SECONDS = 365 * 24 * 3600;

export const task = z.object({
  id: z.string(),
  kind: z.string(),
  /** what the task does, in words: "apply site example.com" */
  title: z.string(),
  /** the name of the resource it acts on (a site's domain, a node's name) while it exists */
  targetName: z.string().nullable(),
  payload: z.unknown(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  accountId: z.string().nullable(),
  state: taskState,
  /** a queued task that is not enabled waits until it is */
  enabled: z.boolean(),
  cancelRequested: z.boolean(),
  priority: z.number().int(),
  runAt: z.string(),
  expression: z.string().nullable(),
  timezone: z.string().nullable(),
  onSuccess: z.enum(["delete", "disable"]),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  progress: z.number().nullable(),
  progressMessage: z.string().nullable(),
  result: z.unknown(),
  lastError: z.string().nullable(),
  lastOutcome: z.enum(["succeeded", "failed", "cancelled"]).nullable(),
  parentId: z.string().nullable(),
  createdBy: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Task = z.infer<typeof task>;

export const taskLog = z.object({
  id: z.string(),
  at: z.string(),
  attempt: z.number().int(),
  level: z.enum(["info", "warn", "error"]),
  message: z.string(),
});
export type TaskLog = z.infer<typeof taskLog>;

export const taskListQuery = z.strictObject({
  state: taskState.optional(),
  kind: taskKind.optional(),
  /** "<type>" or "<type>:<id>" of the resource the tasks act on */
  target: z
    .string()
    .max(140, "must be at most 140 characters")
    .regex(/^[a-z][a-z0-9_-]*(:[A-Za-z0-9_-]+)?$/, "must be <type> or <type>:<id>")
    .optional(),
  account: id.optional(),
  enabled: z.enum(["true", "false"]).optional(),
});

export const taskCreate = z.strictObject({
  kind: taskKind,
  /** validated by the kind's own schema */
  payload: z.record(z.string(), z.unknown()).default({}),
  /** the account the task belongs to; without one it is a system task (super users only) */
  accountId: id.optional(),
  /** makes the task recurring, if its kind allows it */
  expression: cronExpression.optional(),
  timezone: timeZone.optional(),
  priority: taskPriority.optional(),
  /** first run: at this time (at most a year ahead, at most a day ago)... */
  runAt: isoTime.optional(),
  /** ...or this many seconds from now */
  delaySeconds: z
    .number({ error: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(0, `must be from 0 to ${MAX_DELAY_SECONDS} seconds (a year)`)
    .max(MAX_DELAY_SECONDS, `must be from 0 to ${MAX_DELAY_SECONDS} seconds (a year)`)
    .optional(),
  /** run-once tasks: delete the row on success, or keep it disabled as a record (default) */
  onSuccess: z.enum(["delete", "disable"]).optional(),
  enabled: z.boolean().optional(),
});
export type TaskCreate = z.infer<typeof taskCreate>;

export const taskUpdate = z.strictObject({
  enabled: z.boolean().optional(),
  /** null makes a recurring task run-once */
  expression: cronExpression.nullable().optional(),
  timezone: timeZone.nullable().optional(),
  priority: taskPriority.optional(),
});
export type TaskUpdate = z.infer<typeof taskUpdate>;
