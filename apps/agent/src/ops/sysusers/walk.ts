// A bounded walk of a home for sysusers.usage: lstat only (a symlink is counted as itself,
// never followed), a hard-linked inode once however many names it has under that home, and a
// stop once `maxFiles` entries were counted (truncated).
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

export interface Walked {
  bytes: number;
  files: number;
  truncated: boolean;
}

/** Bytes on disk (allocated blocks, as du) and entries under `root`, `root` included. */
export async function walkHome(root: string, maxFiles: number) {
  const seen = new Set<string>();
  const out: Walked = { bytes: 0, files: 0, truncated: false };
  const count = (s: { dev: number; ino: number; nlink: number; blocks: number }, dir: boolean) => {
    if (!dir && s.nlink > 1) {
      const key = `${s.dev}:${s.ino}`;
      if (seen.has(key)) return;
      seen.add(key);
    }
    out.bytes += s.blocks * 512;
    out.files += 1;
  };
  const top = await lstat(root).catch(() => null);
  if (!top) return out;
  count(top, top.isDirectory());
  const dirs = top.isDirectory() ? [root] : [];
  for (let dir = dirs.pop(); dir !== undefined; dir = dirs.pop()) {
    // a directory that went away or cannot be read while walking is skipped, not an error
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (out.files >= maxFiles) {
        out.truncated = true;
        return out;
      }
      const path = join(dir, name);
      const s = await lstat(path).catch(() => null);
      if (!s) continue;
      count(s, s.isDirectory());
      if (s.isDirectory()) dirs.push(path);
    }
  }
  return out;
}
