// An account's /etc/cron.d file (docs/hosting.md#cron-jobs): a header, then per job its id as
// a comment, its environment (SHELL always /bin/sh, PATH, MAILTO "" unless asked: cron's
// assignments hold for the lines below them, so every job sets all three) and its line
// `schedule root <agent> cron-exec --dir <dir> <account> <job>`: the agent's cron-exec
// (exec.ts) runs the job as its user from the job's root-only file and reports the run. The
// command is not in this world-readable file; the contracts still refuse newlines, NUL and
// `%` in it and render checks the input again (one job can never add a line to the file).
import { isSea } from "node:sea";
import {
  CRON_DEFAULT_PATH,
  type CronApplyInput,
  type CronJobSpec,
  cronApplyInput,
} from "@steward/contracts/hosting";
import type { z } from "zod";
import type { AgentConfig } from "../../config.ts";
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

const PLAIN = /^[A-Za-z0-9._/+@=:-]{1,300}$/;

/**
 * How cron starts this agent's cron-exec: hosting.cronExec, or the single-file agent itself,
 * or Node with the CLI's entry and `agent` (`steward agent cron-exec`).
 */
export function cronExecArgv(
  config: Pick<AgentConfig, "dir"> & { hosting: Pick<AgentConfig["hosting"], "cronExec"> },
): string[] {
  const prefix =
    config.hosting.cronExec ??
    (isSea() ? [process.execPath] : [process.execPath, process.argv[1] ?? "", "agent"]);
  const argv = [...prefix, "cron-exec", "--dir", config.dir];
  const bad = argv.find((a) => !PLAIN.test(a));
  if (bad !== undefined)
    throw new OpFailure(
      "CONFIG",
      `the agent's path ${JSON.stringify(bad.slice(0, 80))} cannot be a cron.d word: set hosting.cronExec`,
    );
  return argv;
}

function line(job: CronJobSpec, account: string, exec: string[]) {
  return [
    `# job ${job.id}`,
    "SHELL=/bin/sh",
    `PATH=${job.env.PATH ?? CRON_DEFAULT_PATH}`,
    `MAILTO=${job.env.MAILTO ?? '""'}`,
    `${job.schedule.trim()} root ${[...exec, account, job.id].join(" ")}`,
  ].join("\n");
}

export function renderCronFile(unchecked: CronApplyInput, exec: string[]) {
  const input = checked(cronApplyInput, unchecked);
  const head = `# Steward: cron jobs of account ${input.id} (main user ${input.main}); written by the agent, do not edit\n`;
  return `${head}${input.jobs.map((j) => `\n${line(j, input.id, exec)}\n`).join("")}`;
}
