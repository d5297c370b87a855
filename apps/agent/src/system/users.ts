// System users for sites: a system account with a home directory, its own group and a
// nologin shell, made with useradd (argv, never a shell). Names are checked again here even
// though the contracts validated them: this is the last place before the argv, and the rule
// is the contracts' own (systemUser).
import { systemUser } from "@steward/contracts/validators";
import type { OpContext } from "../ops/types.ts";
import { OpFailure } from "../ops/types.ts";

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  /** true when this call created it */
  created: boolean;
}

/** The second check of a site user name before any argv: the contracts' systemUser rule. */
export function checkUserName(name: string) {
  if (!systemUser.safeParse(name).success)
    throw new OpFailure(
      "OP_INPUT_INVALID",
      `"${name.slice(0, 40)}" is not a valid system user name (lowercase letters, digits, - and _)`,
    );
}

/** uid and gid of a user, or null when there is no such user. */
export async function lookupUser(
  ctx: OpContext,
  name: string,
): Promise<{ uid: number; gid: number } | null> {
  checkUserName(name);
  const id = ctx.config.users.id;
  const u = await ctx.exec(`look up user ${name}`, [id, "-u", "--", name], { allowFailure: true });
  if (u.exitCode !== 0) return null;
  const g = await ctx.exec(`look up group of ${name}`, [id, "-g", "--", name]);
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * Makes sure the user exists (home directory created by useradd, mode per the system's
 * defaults). A user this call creates is removed again if the operation rolls back.
 */
export async function ensureUser(ctx: OpContext, name: string, home: string): Promise<SystemUser> {
  const existing = await lookupUser(ctx, name);
  if (existing) return { name, ...existing, created: false };
  const u = ctx.config.users;
  await ctx.exec(`create user ${name}`, [
    u.useradd,
    "--system",
    "--user-group",
    "--create-home",
    "--home-dir",
    home,
    "--shell",
    u.shell,
    "--",
    name,
  ]);
  ctx.changed();
  ctx.onRollback(`remove user ${name}`, async () => {
    await ctx.exec(`remove user ${name}`, [u.userdel, "--", name]);
  });
  const made = await lookupUser(ctx, name);
  if (!made) throw new OpFailure("USER_NOT_CREATED", `useradd did not create the user ${name}`);
  return { name, ...made, created: true };
}

/** Removes the user (not its home: files are removed, or kept, by the caller). */
export async function removeUser(ctx: OpContext, name: string): Promise<boolean> {
  if (!(await lookupUser(ctx, name))) return false;
  await ctx.exec(`remove user ${name}`, [ctx.config.users.userdel, "--", name]);
  ctx.changed();
  return true;
}
