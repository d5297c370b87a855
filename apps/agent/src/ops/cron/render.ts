// An account's /etc/cron.d file (docs/hosting.md#cron-jobs): a header, then per job its id as
// a comment, its environment (SHELL always /bin/sh, PATH, MAILTO "" unless asked: cron's
// assignments hold for the lines below them, so every job sets all three) and its line
// `schedule user command`. The contracts refuse newlines, NUL and `%` in commands; render
// checks them again (one job can never add a line or a user to the file).
import {
  CRON_DEFAULT_PATH,
  type CronApplyInput,
  type CronJobSpec,
  cronApplyInput,
} from "@steward/contracts/hosting";
import type { z } from "zod";
import { OpFailure } from "../types.ts";

/** The file of an account: cron.d reads names of letters, digits, `_` and `-` only. */
export const cronFileName = (accountId: string) => `steward-${accountId}`;

/** The input again through its contract (the agent's own wall): OP_INPUT_INVALID naming the field. */
export function checked<T>(schema: z.ZodType<T>, input: unknown): T {
  const ok = schema.safeParse(input);
  if (ok.success) return ok.data;
  const issue = ok.error.issues[0];
  throw new OpFailure("OP_INPUT_INVALID", `${issue?.path.join(".")}: ${issue?.message}`);
}

function line(job: CronJobSpec) {
  return [
    `# job ${job.id}`,
    "SHELL=/bin/sh",
    `PATH=${job.env.PATH ?? CRON_DEFAULT_PATH}`,
    `MAILTO=${job.env.MAILTO ?? '""'}`,
    `${job.schedule.trim()} ${job.user} ${job.command}`,
  ].join("\n");
}

export function renderCronFile(unchecked: CronApplyInput) {
  const input = checked(cronApplyInput, unchecked);
  const head = `# Steward: cron jobs of account ${input.id} (main user ${input.main}); written by the agent, do not edit\n`;
  return `${head}${input.jobs.map((j) => `\n${line(j)}\n`).join("")}`;
}
