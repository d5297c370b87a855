// Directories inside a site's home, which its user controls. The agent runs as root, so it
// never follows a link there: every existing component must be a real directory (lstat), and
// only directories it creates itself get an owner and a mode. (A user swapping a component
// for a symlink between the check and the mkdir could at worst make root create one empty
// directory elsewhere; it cannot make root chown or chmod anything it did not just create.)
// An existing directory gets an owner and a mode only through a descriptor whose path proves
// no link was followed (setDirOwner).
import { constants } from "node:fs";
import { lstat, open, readdir, readFile, readlink, realpath } from "node:fs/promises";
import { join, relative } from "node:path";
import { type OpContext, OpFailure } from "../types.ts";

export interface Owner {
  uid: number;
  gid: number;
}

/** Creates `rel`'s missing components under `base` (which must exist) as `owner`, `mode`. */
export async function mkdirInside(
  ctx: OpContext,
  base: string,
  rel: string,
  owner: Owner,
  mode: number,
): Promise<boolean> {
  let created = false;
  let p = base;
  for (const seg of rel.split("/")) {
    p = join(p, seg);
    const s = await lstat(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw e;
    });
    if (s && (s.isSymbolicLink() || !s.isDirectory()))
      throw new OpFailure(
        "UNSAFE_PATH",
        `${p} is ${s.isSymbolicLink() ? "a symbolic link" : "not a directory"}: the agent does not follow links inside a site's home; move it away and apply again`,
      );
    if (!s) created = (await ctx.mkdir(p, { mode, ...owner })) || created;
  }
  return created;
}

/** true when the directory has no entries (or does not exist). */
export async function isEmptyDir(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw e;
  }
}

/** A user's uid, gid, comment, home and shell from /etc/passwd (where useradd puts users). */
export async function passwdEntry(name: string) {
  const line = (await readFile("/etc/passwd", "utf8"))
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid, gecos, home, shell] = line.split(":");
  return {
    uid: Number(uid),
    gid: Number(gid),
    gecos: gecos ?? "",
    home: home ?? "",
    shell: shell ?? "",
  };
}

/** A group's gid from /etc/group. */
export async function groupId(name: string): Promise<number | null> {
  const line = (await readFile("/etc/group", "utf8"))
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(":")[2];
  return gid === undefined ? null : Number(gid);
}

/** The owner and mode of an existing directory, changed without following a link. */
async function setAttrs(path: string, real: string, owner: Owner, mode: number) {
  // O_NOFOLLOW refuses a link as the last component; the descriptor's own path (procfs)
  // tells a link anywhere above it: it must be the path asked, resolved from a trusted base
  const fh = await open(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    if ((await readlink(`/proc/self/fd/${fh.fd}`)) !== real)
      throw new OpFailure(
        "UNSAFE_PATH",
        `${path} is reached through a symbolic link: the agent does not follow links inside a site's home; move it away and apply again`,
      );
    const s = await fh.stat();
    const before = { uid: s.uid, gid: s.gid, mode: s.mode & 0o7777 };
    if (before.uid !== owner.uid || before.gid !== owner.gid) await fh.chown(owner.uid, owner.gid);
    if (before.mode !== mode) await fh.chmod(mode);
    return before;
  } finally {
    await fh.close();
  }
}

/**
 * Gives an existing directory inside `base` (a directory the user cannot swap: its parent is
 * not theirs) an owner and a mode through a descriptor opened without following links, only
 * when no component below `base` is a link (UNSAFE_PATH otherwise, nothing changed). A
 * rollback puts the old owner and mode back the same way. false when they were already so.
 */
export async function setDirOwner(
  ctx: OpContext,
  base: string,
  path: string,
  owner: Owner,
  mode: number,
): Promise<boolean> {
  return ctx.step(`give ${path} to ${owner.uid}:${owner.gid} ${mode.toString(8)}`, async () => {
    const real = join(await realpath(base), relative(base, path));
    const before = await setAttrs(path, real, owner, mode);
    if (before.uid === owner.uid && before.gid === owner.gid && before.mode === mode) return false;
    ctx.onRollback(`give ${path} back`, async () => {
      // one this operation made is gone already (the directories it made go first)
      await setAttrs(path, real, before, before.mode).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
      });
    });
    ctx.changed();
    return true;
  });
}
