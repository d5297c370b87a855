// Rotation of one log file the way logrotate(8) does it with `delaycompress`: the live file
// becomes .1, kept plain because a process that has not reopened its log yet may still
// append to it; older generations are gzip-compressed (.2.gz, .3.gz ...); at most `keep`
// generations are kept. No shell: renames, and node:zlib streaming for compression.
import { createReadStream, createWriteStream } from "node:fs";
import { readdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

export interface RotateResult {
  rotated: boolean;
  /** why nothing was rotated */
  skipped?: string;
  /** older generations compressed in this run */
  compressed: number;
  /** generations past `keep` deleted in this run */
  removed: number;
}

interface Generation {
  n: number;
  gz: boolean;
  file: string;
}

export async function rotateLogFile(
  path: string,
  keep: number,
  reopen: () => void,
  signal?: AbortSignal,
): Promise<RotateResult> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be at least 1, not ${keep}`);
  const result: RotateResult = { rotated: false, compressed: 0, removed: 0 };
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) return { ...result, skipped: `${path} is not a regular file` };
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { ...result, skipped: "no log file" };
    throw e;
  }
  if (size === 0) return { ...result, skipped: "the log file is empty" };

  // highest first, so each rename or compression lands on a name already freed
  const gens = (await generations(path)).sort((a, b) => b.n - a.n || Number(b.gz) - Number(a.gz));
  for (const g of gens) {
    signal?.throwIfAborted();
    if (g.n >= keep) {
      await unlink(g.file);
      result.removed++;
    } else if (g.gz) {
      await rename(g.file, `${path}.${g.n + 1}.gz`);
    } else {
      await gzipFile(g.file, `${path}.${g.n + 1}.gz`, signal);
      await unlink(g.file);
      result.compressed++;
    }
  }
  await rename(path, `${path}.1`);
  reopen();
  return { ...result, rotated: true };
}

/** steward.log.N and steward.log.N.gz next to the log; removes compressions a crash left. */
async function generations(path: string): Promise<Generation[]> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const out: Generation[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    if (/^\d+\.gz\.tmp$/.test(rest)) {
      await unlink(join(dir, name));
      continue;
    }
    const m = /^(\d+)(\.gz)?$/.exec(rest);
    if (!m?.[1]) continue;
    const n = Number(m[1]);
    if (n >= 1) out.push({ n, gz: m[2] !== undefined, file: join(dir, name) });
  }
  return out;
}

/** Streams src through gzip into dst (mode 0600); dst appears only when complete. */
async function gzipFile(src: string, dst: string, signal?: AbortSignal) {
  const tmp = `${dst}.tmp`;
  try {
    await pipeline(
      createReadStream(src),
      createGzip(),
      createWriteStream(tmp, { mode: 0o600 }),
      signal ? { signal } : {},
    );
    await rename(tmp, dst);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}
