// Files on the node: atomic writes (a temp file in the same directory, fsync, rename, so a
// reader sees the old or the new content, never half), directories with modes, and
// snapshots that put a file back exactly as it was (content, mode, owner, or absence).
import { randomBytes } from "node:crypto";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  unlink,
} from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export interface Ownership {
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Writes content to path atomically, with mode (default 0644) and owner. */
export async function atomicWrite(path: string, content: string | Uint8Array, o: Ownership = {}) {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", o.mode ?? 0o644);
  try {
    await fh.writeFile(content);
    await fh.chmod(o.mode ?? 0o644); // open's mode is filtered by the umask
    if (o.uid !== undefined || o.gid !== undefined) await fh.chown(o.uid ?? -1, o.gid ?? -1);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Content (null when absent). */
export async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * mkdir -p: creates the missing directories with mode/owner; returns the ones it created,
 * outermost first. An existing directory is left as it is (see fixOwnership).
 */
export async function mkdirp(path: string, o: Ownership = {}): Promise<string[]> {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    try {
      const s = await stat(p);
      if (!s.isDirectory()) throw new Error(`${p} exists and is not a directory`);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      missing.unshift(p);
      const up = dirname(p);
      if (up === p) break;
      p = up;
    }
  }
  const created: string[] = [];
  for (const dir of missing) {
    try {
      await mkdir(dir, { mode: o.mode ?? 0o755 });
    } catch (e) {
      // another operation made it meanwhile (operations of different sites run at once and
      // share parents, like the certificates' directory): it is theirs, not ours to undo
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && (await stat(dir)).isDirectory())
        continue;
      throw e;
    }
    created.push(dir);
    await chmod(dir, o.mode ?? 0o755);
    if (o.uid !== undefined || o.gid !== undefined) await chown(dir, o.uid ?? -1, o.gid ?? -1);
  }
  return created;
}

/** Sets mode/owner where they differ; true when something changed. */
export async function fixOwnership(path: string, o: Ownership): Promise<boolean> {
  const s = await stat(path);
  let changed = false;
  if (o.mode !== undefined && (s.mode & 0o7777) !== o.mode) {
    await chmod(path, o.mode);
    changed = true;
  }
  if ((o.uid !== undefined && s.uid !== o.uid) || (o.gid !== undefined && s.gid !== o.gid)) {
    await chown(path, o.uid ?? -1, o.gid ?? -1);
    changed = true;
  }
  return changed;
}

/** A file as it was: enough to put it back byte for byte, or to remove it again. */
export interface Snapshot {
  path: string;
  content: Buffer | null;
  mode: number;
  uid: number;
  gid: number;
}

export async function snapshot(path: string): Promise<Snapshot> {
  try {
    const s = await lstat(path);
    if (!s.isFile()) throw new Error(`${path} is not a regular file`);
    return { path, content: await readFile(path), mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    return { path, content: null, mode: 0, uid: -1, gid: -1 };
  }
}

export async function restore(s: Snapshot): Promise<void> {
  if (s.content === null) {
    await rm(s.path, { force: true });
    return;
  }
  await atomicWrite(s.path, s.content, { mode: s.mode, uid: s.uid, gid: s.gid });
}

/** true when path holds exactly this content with this mode/owner (those given). */
export async function sameFile(path: string, content: Buffer, o: Ownership): Promise<boolean> {
  const current = await readIfExists(path);
  if (current === null || !current.equals(content)) return false;
  const s = await stat(path);
  if (o.mode !== undefined && (s.mode & 0o7777) !== o.mode) return false;
  if (o.uid !== undefined && s.uid !== o.uid) return false;
  if (o.gid !== undefined && s.gid !== o.gid) return false;
  return true;
}
