// Cron jobs of hosting accounts (issue 19, docs/hosting.md#cron-jobs): one line of
// /etc/cron.d/steward-<account> each, run by the node's cron daemon as one of the account's
// system users (never root), or run now by the agent. The schedule is the shared
// `cronExpression` narrowed to what cron.d reads: five fields with their ranges, or an @word.
// The command is one line; `%` is refused (cron turns it into a newline and feeds the rest
// to stdin: put such a command in a script). Environment: PATH and MAILTO only; SHELL is
// always /bin/sh.
import { z } from "zod";
import { cronExpression } from "../api/tasks.ts";
import { heartbeatToken } from "./cron-runs.ts";
import { mainUserName, sysUserName } from "./names.ts";

const NAMES: Record<number, string[]> = {
  3: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
};
/** Each field's name and range, in cron's order. */
const FIELDS = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
] as const;
export const CRON_WORDS = [
  "@hourly",
  "@daily",
  "@midnight",
  "@weekly",
  "@monthly",
  "@yearly",
  "@annually",
];

/** The number a field's value stands for (a name of month or day allowed), or null. */
function fieldValue(field: number, s: string): number | null {
  const named = NAMES[field]?.indexOf(s.toLowerCase()) ?? -1;
  if (named >= 0) return field === 3 ? named + 1 : named;
  return /^\d{1,2}$/.test(s) ? Number(s) : null;
}

/** Why a cron.d schedule is wrong, in words, or null when cron reads it. */
export function cronScheduleProblem(expression: string): string | null {
  const s = expression.trim();
  if (s.startsWith("@"))
    return CRON_WORDS.includes(s) ? null : `must be five fields or one of ${CRON_WORDS.join(", ")}`;
  const parts = s.split(/[ \t]+/);
  if (parts.length !== 5)
    return "must have five fields: minute hour day-of-month month day-of-week";
  for (const [i, part] of parts.entries()) {
    const [name, min, max] = FIELDS[i] as (typeof FIELDS)[number];
    for (const item of part.split(",")) {
      const m = /^(\*|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d{1,2}))?$/.exec(item);
      if (!m) return `${name}: "${item.slice(0, 20)}" is not a value, range, list or step`;
      const [, , a, b, step] = m;
      for (const v of [a, b]) {
        if (v === undefined) continue;
        const n = fieldValue(i, v);
        if (n === null || n < min || n > max)
          return `${name}: ${v.slice(0, 20)} is out of range ${min}-${max}`;
      }
      if (a !== undefined && b !== undefined && (fieldValue(i, a) ?? 0) > (fieldValue(i, b) ?? 0))
        return `${name}: the range ${a}-${b} goes backwards`;
      if (step !== undefined && (Number(step) < 1 || Number(step) > max))
        return `${name}: the step /${step} is out of range 1-${max}`;
    }
  }
  return null;
}

/** A schedule /etc/cron.d reads: the shared cron validator, five fields in range or an @word. */
export const cronDSchedule = cronExpression.superRefine((s, c) => {
  const problem = cronScheduleProblem(s);
  if (problem) c.addIssue({ code: "custom", message: problem });
});

export const CRON_COMMAND_MAX = 1000;

/** One line of shell run as the job's user: no newline, CR, NUL or `%`. */
export const cronCommand = z
  .string()
  .min(1, "must not be empty")
  .max(CRON_COMMAND_MAX, `must be at most ${CRON_COMMAND_MAX} characters`)
  .refine((s) => !/[\n\r\0]/.test(s), "must be one line (no newline, carriage return or NUL)")
  .refine(
    (s) => !s.includes("%"),
    "must not contain % (cron turns it into a newline): put the command in a script",
  )
  .refine((s) => s.trim() === s, "must not start or end with spaces")
  // every other control character (tabs are fine)
  .refine(
    (s) => [...s].every((c) => c === "\t" || (c >= " " && c !== "\x7f")),
    "must not contain control characters",
  );

/** PATH for the job: absolute directories of plain characters, colon-separated. */
export const cronPath = z
  .string()
  .max(500, "must be at most 500 characters")
  .regex(
    /^\/[A-Za-z0-9._/-]*(:\/[A-Za-z0-9._/-]*)*$/,
    "must be absolute directories separated by colons",
  )
  .refine((s) => !s.split(/[:/]/).includes(".."), "must not contain ..");

/** MAILTO: one plain address, or "" (no mail: the default). */
export const cronMailto = z
  .string()
  .max(254, "must be at most 254 characters")
  .regex(/^$|^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+$/, "must be an email address or empty");

/** The environment a job may set: PATH and MAILTO only (SHELL is always /bin/sh). */
export const cronEnv = z.strictObject({
  PATH: cronPath.optional(),
  MAILTO: cronMailto.optional(),
});
export type CronEnv = z.infer<typeof cronEnv>;

export const CRON_DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

/** A job as the agent writes it: the user is one of the account's system users. */
export const cronJobSpec = z.strictObject({
  /** the job's id, written as a comment above its line */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  schedule: cronDSchedule,
  user: sysUserName,
  command: cronCommand,
  env: cronEnv,
  /** the job's heartbeat monitor's token (cron-runs.ts): pinged after a run that exits 0 */
  heartbeatToken: heartbeatToken.optional(),
});
export type CronJobSpec = z.infer<typeof cronJobSpec>;

/** cron.apply: the account's enabled jobs on the node; none removes its file. */
export const cronApplyInput = z.strictObject({
  /** the account's id: the file is steward-<id>, and the operation's lock key */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  /** the account's main user on the node: the users must be its (their GECOS marker) */
  main: mainUserName,
  jobs: z.array(cronJobSpec).max(500),
});
export type CronApplyInput = z.infer<typeof cronApplyInput>;

export const cronApplyOutput = z.object({
  file: z.string(),
  jobs: z.number(),
});

/** cron.run: runs one command now as the user, output captured (the end of it, bounded). */
export const cronRunInput = z.strictObject({
  main: mainUserName,
  user: sysUserName,
  command: cronCommand,
  env: cronEnv,
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
});
export type CronRunInput = z.infer<typeof cronRunInput>;

export const CRON_OUTPUT_MAX = 64 * 1024;

export const cronRunOutput = z.object({
  uid: z.number(),
  exitCode: z.number(),
  /** stdout then stderr, each its last CRON_OUTPUT_MAX bytes */
  stdout: z.string(),
  stderr: z.string(),
  durationMs: z.number(),
});
export type CronRunOutput = z.infer<typeof cronRunOutput>;
