// The account's system users (real useradd/usermod/userdel/chpasswd, argv only): the main user
// with its own group, the CGI user (its own group, a member of the main group: reads, never
// writes), secondary users (primary group: the main group). Every user Steward makes carries
// the comment `steward/<main user>`; a name the node has without it is never touched.
import { readFile } from "node:fs/promises";
import { CGI_SUFFIX, sysUserName } from "@steward/contracts/hosting";
import { passwdEntry } from "../sites/dirs.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { marker } from "./render.ts";

export interface Made {
  name: string;
  uid: number;
  gid: number;
}

/** The last check before an argv: the contracts' rule (a CGI user: a valid name + `-cgi`). */
export function checkName(name: string) {
  const base = name.endsWith(CGI_SUFFIX) ? name.slice(0, -CGI_SUFFIX.length) : name;
  if (!sysUserName.safeParse(base).success || name.length > 32)
    throw new OpFailure(
      "OP_INPUT_INVALID",
      `"${name.slice(0, 40)}" is not a valid system user name`,
    );
}

/** The user when it is this account's, null when absent; another's is NAME_TAKEN. */
export async function ownUser(name: string, main: string) {
  const u = await passwdEntry(name);
  if (u && u.gecos !== marker(main))
    throw new OpFailure(
      "NAME_TAKEN",
      `the node has a user named ${name} that is not this account's: choose another name`,
    );
  return u;
}

interface Want {
  name: string;
  main: string;
  home: string;
  shell: string;
  /** the primary group: its own (main, CGI) or the main user's (secondary) */
  group: "own" | string;
  /** supplementary groups */
  groups?: string[];
}

/** Creates the user, or fixes its shell and home; a user this call made goes on rollback. */
export async function ensureSysUser(ctx: OpContext, w: Want): Promise<Made> {
  checkName(w.name);
  const h = ctx.config.hosting;
  const have = await ownUser(w.name, w.main);
  if (!have) {
    await ctx.exec(`create user ${w.name}`, [
      ctx.config.users.useradd,
      ...(w.group === "own" ? ["--user-group"] : ["--no-user-group", "--gid", w.group]),
      ...(w.groups?.length ? ["--groups", w.groups.join(",")] : []),
      "--comment",
      marker(w.main),
      "--home-dir",
      w.home,
      "--no-create-home",
      "--shell",
      w.shell,
      "--",
      w.name,
    ]);
    ctx.changed();
    ctx.onRollback(`remove user ${w.name}`, async () => {
      await ctx.exec(`remove user ${w.name}`, [ctx.config.users.userdel, "--", w.name]);
    });
  } else if (have.shell !== w.shell || have.home !== w.home) {
    await ctx.exec(`change user ${w.name}`, [
      h.usermod,
      "--shell",
      w.shell,
      "--home",
      w.home,
      "--",
      w.name,
    ]);
    ctx.changed();
    ctx.onRollback(`restore user ${w.name}`, async () => {
      await ctx.exec(`restore user ${w.name}`, [
        h.usermod,
        "--shell",
        have.shell,
        "--home",
        have.home,
        "--",
        w.name,
      ]);
    });
  }
  const made = await passwdEntry(w.name);
  if (!made) throw new OpFailure("USER_NOT_CREATED", `useradd did not create the user ${w.name}`);
  return { name: w.name, uid: made.uid, gid: made.gid };
}

/** Adds a user the node has (the web server's) to a group, once. */
export async function addToGroup(ctx: OpContext, user: string, group: string) {
  if (!(await passwdEntry(user))) return;
  const line = (await readFile("/etc/group", "utf8"))
    .split("\n")
    .find((l) => l.startsWith(`${group}:`));
  const members = line?.split(":")[3]?.split(",") ?? [];
  if (members.includes(user)) return;
  await ctx.exec(`add ${user} to group ${group}`, [
    ctx.config.hosting.usermod,
    "--append",
    "--groups",
    group,
    "--",
    user,
  ]);
  ctx.changed();
}

/** The hash in /etc/shadow of each user. */
async function shadowHashes(): Promise<Map<string, string>> {
  const text = await readFile("/etc/shadow", "utf8");
  return new Map(
    text
      .split("\n")
      .map((l) => l.split(":"))
      .map((f) => [f[0] ?? "", f[1] ?? ""]),
  );
}

/**
 * Sets the users' password hashes (`*`: no password, keys only; never `!`, which makes sshd
 * refuse keys too) with `chpasswd -e`, the hashes on its stdin, only where they differ.
 */
export async function setPasswords(
  ctx: OpContext,
  users: { name: string; passwordHash: string | null }[],
) {
  const now = await shadowHashes();
  const lines = users
    .map((u) => ({ name: u.name, hash: u.passwordHash ?? "*" }))
    .filter((u) => now.get(u.name) !== u.hash)
    .map((u) => `${u.name}:${u.hash}\n`);
  if (!lines.length) return;
  const before = users
    .filter((u) => now.has(u.name))
    .map((u) => `${u.name}:${now.get(u.name) || "*"}\n`);
  await ctx.exec("set passwords", [ctx.config.hosting.chpasswd, "-e"], { input: lines.join("") });
  ctx.changed();
  ctx.onRollback("restore passwords", async () => {
    if (before.length)
      await ctx.exec("restore passwords", [ctx.config.hosting.chpasswd, "-e"], {
        input: before.join(""),
      });
  });
}

/** Deletes an account's user (files stay: the caller hands them to the main user). */
export async function removeSysUser(ctx: OpContext, name: string, main: string) {
  checkName(name);
  if (!(await ownUser(name, main))) return false;
  await ctx.exec(`remove user ${name}`, [ctx.config.users.userdel, "--", name]);
  ctx.changed();
  return true;
}
