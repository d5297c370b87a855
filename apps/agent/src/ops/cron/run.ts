// cron.run (docs/hosting.md#cron-jobs): a job's command now, as its user (job-process.ts:
// setpriv, never root). Output: the end of stdout and stderr (64 KiB each); exit status
// answered.
import { CRON_OUTPUT_MAX, type CronRunInput, cronRunInput } from "@steward/contracts/hosting";
import type { OpContext, OpHandler } from "../types.ts";
import { accountUser } from "./apply.ts";
import { jobProcess } from "./job-process.ts";
import { checked } from "./render.ts";

async function run(ctx: OpContext, unchecked: CronRunInput) {
  const input = checked(cronRunInput, unchecked);
  const u = await ctx.phase("stage", () =>
    ctx.step("check the user is the account's", () => accountUser(input.user, input.main)),
  );
  const p = jobProcess(ctx.config, input.user, u, input.command, input.env);
  const started = Date.now();
  const r = await ctx.phase("activate", () =>
    ctx.exec(`run the job as ${input.user}`, p.argv, {
      env: p.env,
      cwd: p.cwd,
      timeoutMs: input.timeoutSeconds * 1000,
      allowFailure: true,
      maxOutput: CRON_OUTPUT_MAX,
    }),
  );
  return {
    uid: u.uid,
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    durationMs: Date.now() - started,
  };
}

export const cronRun: OpHandler<"cron.run"> = {
  name: "cron.run",
  run,
};
