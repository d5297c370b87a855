// cron.apply (docs/hosting.md#cron-jobs): writes each job's root-only file (what cron-exec
// runs: spool.ts) and the account's cron.d file atomically (the framework's writeFile: temp +
// rename, 0644 root, the old content restored on failure), or removes them when the account
// has no enabled jobs. Every job's user must be one of the account's system users (the
// `steward/<main>` marker of sysusers.apply) and not uid 0.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type CronApplyInput, cronApplyInput } from "@steward/contracts/hosting";
import { safePath } from "../sysusers/render.ts";
import { checkName, ownUser } from "../sysusers/users.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { checked, cronExecArgv, cronFileName, renderCronFile } from "./render.ts";
import { cronJobFile, cronJobsDir } from "./spool.ts";

/** The user as the node has it: the account's, never root. */
export async function accountUser(name: string, main: string) {
  checkName(name);
  const u = await ownUser(name, main);
  if (!u)
    throw new OpFailure(
      "USER_NOT_ALLOWED",
      `the node has no system user ${name}: apply the account's system users first`,
    );
  if (u.uid === 0 || u.gid === 0)
    throw new OpFailure(
      "USER_NOT_ALLOWED",
      `${name} has uid or gid 0: cron jobs never run as root`,
    );
  return u;
}

async function apply(ctx: OpContext, unchecked: CronApplyInput) {
  const input = checked(cronApplyInput, unchecked);
  const dir = safePath(ctx.config.hosting.cronDir, "hosting.cronDir");
  const file = join(dir, cronFileName(input.id));
  const content = await ctx.phase("stage", async () => {
    await ctx.step("check the jobs' users are the account's", async () => {
      for (const name of new Set(input.jobs.map((j) => j.user)))
        await accountUser(name, input.main);
    });
    return ctx.step("render the cron file", () => renderCronFile(input, cronExecArgv(ctx.config)));
  });
  await ctx.phase("activate", async () => {
    // the jobs' files first: a line never names a job the node has no file of
    const jobsDir = cronJobsDir(ctx.config, input.id);
    if (input.jobs.length) await ctx.mkdir(jobsDir, { mode: 0o700, uid: 0, gid: 0 });
    for (const job of input.jobs)
      await ctx.writeFile(
        cronJobFile(ctx.config, input.id, job.id),
        `${JSON.stringify({ ...job, account: input.id, main: input.main })}\n`,
        { mode: 0o600, uid: 0, gid: 0 },
      );
    if (!input.jobs.length) await ctx.removeFile(file);
    else {
      await ctx.mkdir(dir, { mode: 0o755, uid: 0, gid: 0 });
      await ctx.writeFile(file, content, { mode: 0o644, uid: 0, gid: 0 });
    }
    const keep = new Set(input.jobs.map((j) => `${j.id}.json`));
    for (const name of await jobFiles(jobsDir))
      if (!keep.has(name)) await ctx.removeFile(join(jobsDir, name));
  });
  return { file, jobs: input.jobs.length };
}

async function jobFiles(dir: string) {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(".json"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
}

export const cronApply: OpHandler<"cron.apply"> = {
  name: "cron.apply",
  run: apply,
};
