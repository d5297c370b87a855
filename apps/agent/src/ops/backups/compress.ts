// The pipeline's zstd stage. Where the `zstd` program is installed (Debian's `zstd`), it
// compresses in a process of its own, as `dump | zstd` does: the agent only moves bytes
// through two pipes, the compression runs beside it on another core, and the CLI spends about
// a third less CPU per byte than node:zlib's zstd (measured on a pg_dump, bench/README.md).
// Without it, node:zlib's zstd (on libuv's thread pool). Both write standard zstd frames, so
// a restore reads either.
import { spawn } from "node:child_process";
import { accessSync, constants as fs } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Duplex, PassThrough, Writable } from "node:stream";
import { constants, createZstdCompress, createZstdDecompress } from "node:zlib";
import { EXEC_PATH } from "../../system/exec.ts";
import { TamperedError } from "./chunks.ts";
import { settle, toolEnv } from "./tool-process.ts";

/** node:zlib's output buffer: its default (16 KiB) makes four times the chunks downstream */
const ZLIB_CHUNK = 64 * 1024;

/** The executable `name` on `path` (colon-separated directories), or null. */
export function findTool(name: string, path = EXEC_PATH): string | null {
  for (const dir of path.split(":").filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, fs.X_OK);
      return file;
    } catch {}
  }
  return null;
}

/** the most threads a backup's `zstd` compresses with */
const MAX_ZSTD_THREADS = 4;

/**
 * The `zstd` program's options for compressing at `level`: one compression thread per core,
 * up to four (`-T`). One thread is what keeps a dump tool waiting: on two cores, PostgreSQL,
 * pg_dump and the agent share the second while zstd's one thread sets the pace (its own
 * CPU per byte rising with the sharing); with two, the backup ran 0.9x `pg_dump | zstd` into
 * /dev/null instead of 0.8x (docs/backups.md, "The pipeline"). The frames are the same format.
 */
export function zstdCompressArgs(level: number): string[] {
  const threads = Math.min(MAX_ZSTD_THREADS, availableParallelism());
  return [`-${level}`, ...(threads > 1 ? [`-T${threads}`] : [])];
}

/** A transform stage compressing with zstd at `level` (1–19). */
export function zstdCompressor(level: number, path = EXEC_PATH): Duplex {
  if (!Number.isInteger(level) || level < 1 || level > 19)
    throw new Error(`zstd level ${level}: 1 to 19`);
  const zstd = findTool("zstd", path);
  if (!zstd)
    return createZstdCompress({
      chunkSize: ZLIB_CHUNK,
      params: { [constants.ZSTD_c_compressionLevel]: level },
    });
  return zstdProcess(zstd, zstdCompressArgs(level), path);
}

/**
 * A transform stage decompressing zstd: the program where it is installed, node:zlib's zstd
 * otherwise. Bytes that do not decompress fail it with a TamperedError (a damaged artifact).
 */
export function zstdDecompressor(path = EXEC_PATH): Duplex {
  const zstd = findTool("zstd", path);
  if (!zstd) return createZstdDecompress();
  return zstdProcess(
    zstd,
    ["--decompress"],
    path,
    (said) => new TamperedError(`the artifact does not decompress: ${said}`),
  );
}

/** zstd with `args`, stdin to stdout, as a stage; `damaged` words a failing exit */
function zstdProcess(
  zstd: string,
  args: string[],
  path: string,
  damaged?: (said: string) => Error,
): Duplex {
  const child = spawn(zstd, [...args, "--quiet", "--no-progress", "--stdout"], {
    env: toolEnv({}, path),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let said = "";
  child.stderr.on("data", (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-1000);
  });
  const out = new PassThrough({ highWaterMark: ZLIB_CHUNK });
  child.stdout.pipe(out, { end: false });
  const failure = () =>
    damaged && child.exitCode ? damaged(said.trim().split("\n")[0] ?? "") : null;
  settle(child, out, { tool: "zstd", accepted: [0], failure });
  const stage = Duplex.from({ writable: intoStdin(child.stdin), readable: out });
  // the stream failed or was abandoned: zstd must not linger
  stage.on("close", () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  });
  return stage;
}

/**
 * A writable into the child's stdin, with its backpressure. A zstd that died (its exit and
 * words fail the readable side, `settle`) makes the writes fail with EPIPE: those are dropped,
 * so the stream fails with zstd's own words rather than "write EPIPE".
 */
export function intoStdin(stdin: Writable): Writable {
  let open = true;
  stdin.on("error", () => {
    open = false;
  });
  stdin.on("close", () => {
    open = false;
  });
  return new Writable({
    highWaterMark: ZLIB_CHUNK,
    write(chunk: Buffer, _enc, callback) {
      if (!open || stdin.write(chunk)) return callback();
      const go = () => {
        stdin.off("drain", go);
        stdin.off("close", go);
        callback();
      };
      stdin.on("drain", go);
      stdin.on("close", go);
    },
    // finished only once stdin has handed every byte to the pipe: destroying it earlier (this
    // writable's auto-destroy after "finish") would drop the writes still queued
    final(callback) {
      if (!open) return callback();
      stdin.end(() => callback());
    },
    destroy(error, callback) {
      if (error) stdin.destroy();
      callback(error);
    },
  });
}
