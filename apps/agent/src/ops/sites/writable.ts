// The writable directories of a PHP site in the account layout (docs/sites.md, "Writable
// directories"): each `<root>/<dir>` is made (missing parents the main user's, 2750, not
// writable) and given to `<main>:<main>-cgi 2775`, so the site's PHP writes there and nowhere
// else in its code; a directory left out of the list gets `<main>:<main> 2750` back (its
// files stay). The site's user controls its home (SFTP): a directory whose path has a link
// or a file anywhere, or goes through a directory PHP may write (no writable directory inside
// another), is refused before anything is changed, and no link is ever followed.
import { lstat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type OpContext, OpFailure } from "../types.ts";
import { mkdirInside, type Owner, setDirOwner } from "./dirs.ts";

/**
 * What is in the way of a path below `home`: a link, a file, or a directory above it that
 * is not the main user's alone (`uid`; PHP could swap what is in it while the agent works).
 * null: nothing.
 */
async function obstacle(home: string, rel: string, uid: number): Promise<string | null> {
  let p = home;
  const segs = rel.split("/");
  for (const [i, seg] of segs.entries()) {
    p = join(p, seg);
    const s = await lstat(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return null;
      throw e;
    });
    if (!s) return null;
    if (s.isSymbolicLink()) return `${p} is a symbolic link`;
    if (!s.isDirectory()) return `${p} is not a directory`;
    if (i < segs.length - 1 && (s.uid !== uid || (s.mode & 0o022) !== 0))
      return `${p} is writable by others than the account's main user`;
  }
  return null;
}

/**
 * Refuses (UNSAFE_PATH) every writable directory a link, a file or a directory others may
 * write stands in the way of (`uid`: the main user).
 */
export async function checkWritable(
  home: string,
  root: string,
  dirs: string[],
  uid: number,
): Promise<void> {
  for (const dir of dirs) {
    const found = await obstacle(home, join(root, dir), uid);
    if (found)
      throw new OpFailure(
        "UNSAFE_PATH",
        `the writable directory ${dir}: ${found}; the agent does not follow links inside a site's home: move it away and apply again`,
      );
  }
}

export interface WritableOwners {
  /** the main user (the code's owner) */
  own: Owner;
  /** the main user with the CGI user's group (what PHP writes) */
  writable: Owner;
}

/**
 * Makes each writable directory the CGI user's group's (`base`: the account's home, which
 * the user cannot swap) and takes the group's write away from those of `before` left out.
 */
export async function stageWritable(
  ctx: OpContext,
  base: string,
  home: string,
  site: { root: string; dirs: string[]; before: string[] },
  owners: WritableOwners,
): Promise<void> {
  await checkWritable(home, site.root, site.dirs, owners.own.uid);
  for (const dir of site.dirs) {
    const rel = join(site.root, dir);
    await mkdirInside(ctx, home, dirname(rel), owners.own, 0o2750);
    // made root's first and given away only through a descriptor that proves it is where it
    // should be: a component swapped for a link meanwhile leaves nothing writable elsewhere
    await mkdirInside(ctx, home, rel, { uid: 0, gid: 0 }, 0o700);
    await setDirOwner(ctx, base, join(home, rel), owners.writable, 0o2775);
  }
  for (const dir of site.before) {
    const rel = join(site.root, dir);
    // one that is gone, or a link now, is left alone: nothing of it is the agent's to change
    if (site.dirs.includes(dir) || (await obstacle(home, rel, owners.own.uid))) continue;
    if (await lstat(join(home, rel)).catch(() => null))
      await setDirOwner(ctx, base, join(home, rel), owners.own, 0o2750);
  }
}
