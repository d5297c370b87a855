// cron.apply (docs/hosting.md#cron-jobs): writes an account's cron.d file atomically (the
// framework's writeFile: temp + rename, 0644 root, the old content restored on failure), or
// removes it when the account has no enabled jobs. Every job's user must be one of the
// account's system users (the `steward/<main>` marker of sysusers.apply) and not uid 0.
import { join } from "node:path";
import { type CronApplyInput, cronApplyInput } from "@steward/contracts/hosting";
import { safePath } from "../sysusers/render.ts";
import { checkName, ownUser } from "../sysusers/users.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { checked, cronFileName, renderCronFile } from "./render.ts";

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
    return ctx.step("render the cron file", () => renderCronFile(input));
  });
  await ctx.phase("activate", async () => {
    if (!input.jobs.length) await ctx.removeFile(file);
    else {
      await ctx.mkdir(dir, { mode: 0o755, uid: 0, gid: 0 });
      await ctx.writeFile(file, content, { mode: 0o644, uid: 0, gid: 0 });
    }
  });
  return { file, jobs: input.jobs.length };
}

export const cronApply: OpHandler<"cron.apply"> = {
  name: "cron.apply",
  run: apply,
};
