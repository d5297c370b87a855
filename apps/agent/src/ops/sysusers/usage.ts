// sysusers.usage (docs/hosting.md#disk-usage): what an account's system users hold on the
// node. Each user must be this account's (passwd comment steward/<main>) and its home inside
// the account's chroot; a user the node does not have is answered with home null and zeros.
// Read-only: nothing is written, no service is locked.
import { resolve } from "node:path";
import {
  type SysUsersUsageOutput,
  type SysUserUsage,
  sysUsersUsageInput,
} from "@steward/contracts/hosting";
import { checked } from "../cron/render.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { userQuotas } from "./quota.ts";
import { accountPaths, safePath } from "./render.ts";
import { ownUser } from "./users.ts";
import { walkHome } from "./walk.ts";

async function run(ctx: OpContext, unchecked: unknown): Promise<SysUsersUsageOutput> {
  const input = checked(sysUsersUsageInput, unchecked);
  const { root } = accountPaths(
    safePath(ctx.config.hosting.homeRoot, "hosting.homeRoot"),
    input.main,
  );
  const notes: string[] = [];
  const names = [...new Set(input.users)];
  const entries = await ctx.step("find the users' homes", async () => {
    const out = [];
    for (const name of names) {
      const u = await ownUser(name, input.main);
      if (u && resolve(u.home) !== root && !resolve(u.home).startsWith(`${root}/`))
        throw new OpFailure(
          "OP_INPUT_INVALID",
          `${name}'s home ${u.home} is outside the account's ${root}: not measured`,
        );
      out.push({ name, user: u });
    }
    return out;
  });
  const quotas = await userQuotas(ctx, root, notes);
  const users: SysUserUsage[] = [];
  for (const { name, user } of entries) {
    if (!user) {
      users.push({ name, home: null, bytes: 0, files: 0, truncated: false, quota: null });
      continue;
    }
    const walked = await ctx.step(`walk ${name}'s home`, () =>
      walkHome(resolve(user.home), input.maxFiles),
    );
    if (walked.truncated)
      notes.push(`${name}: stopped after ${input.maxFiles} files, the figures are at least these`);
    users.push({ name, home: user.home, ...walked, quota: quotas?.get(user.uid) ?? null });
  }
  return { users, quotas: quotas !== null, notes };
}

export const sysUsersUsage: OpHandler<"sysusers.usage"> = { name: "sysusers.usage", run };
