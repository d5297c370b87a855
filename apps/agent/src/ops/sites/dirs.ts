// Directories inside a site's home, which its user controls. The agent runs as root, so it
// never follows a link there: every existing component must be a real directory (lstat), and
// only directories it creates itself get an owner and a mode. (A user swapping a component
// for a symlink between the check and the mkdir could at worst make root create one empty
// directory elsewhere; it cannot make root chown or chmod anything it did not just create.)
import { lstat, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
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
