// cron.run (docs/hosting.md#cron-jobs): a job's command now, as its user. The agent runs
// `setpriv --reuid U --regid G --init-groups -- /bin/sh -c COMMAND` (an argv, no shell of the
// agent's): the command is shell text by nature, which is acceptable only because the shell
// runs as the account's user, never as root (accountUser refuses uid 0). Environment: the
// user's HOME, USER, LOGNAME, SHELL=/bin/sh and the job's PATH; the working directory is the
// user's home. Output: the end of stdout and stderr (64 KiB each); exit status answered.
import {
  CRON_DEFAULT_PATH,
  CRON_OUTPUT_MAX,
  type CronRunInput,
  cronRunInput,
} from "@steward/contracts/hosting";
import type { OpContext, OpHandler } from "../types.ts";
import { accountUser } from "./apply.ts";
import { checked } from "./render.ts";

async function run(ctx: OpContext, unchecked: CronRunInput) {
  const input = checked(cronRunInput, unchecked);
  const u = await ctx.phase("stage", () =>
    ctx.step("check the user is the account's", () => accountUser(input.user, input.main)),
  );
  const started = Date.now();
  const r = await ctx.phase("activate", () =>
    ctx.exec(
      `run the job as ${input.user}`,
      [
        ctx.config.hosting.setpriv,
        "--reuid",
        String(u.uid),
        "--regid",
        String(u.gid),
        "--init-groups",
        "--",
        "/bin/sh",
        "-c",
        input.command,
      ],
      {
        env: {
          HOME: u.home,
          USER: input.user,
          LOGNAME: input.user,
          SHELL: "/bin/sh",
          PATH: input.env.PATH ?? CRON_DEFAULT_PATH,
        },
        cwd: u.home,
        timeoutMs: input.timeoutSeconds * 1000,
        allowFailure: true,
        maxOutput: CRON_OUTPUT_MAX,
      },
    ),
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
