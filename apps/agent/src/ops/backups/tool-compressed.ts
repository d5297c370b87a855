// A dump tool whose stdout goes straight into a `zstd` process: the agent never reads the plain
// dump, only zstd's output (what `dump | zstd` does). Measured on a quiet machine, the plain
// bytes passing through the agent cost more than the rest of the pipeline: mariadb-dump writes
// in 4 KiB blocks, and every block was a buffer, a few stream callbacks and garbage to collect
// (garbage collection was 40% of the agent's CPU for a MariaDB backup; bench/README.md).
// The plain size comes from zstd's own summary (`-vv`), the progress meanwhile from what the
// kernel counted the tool writing (/proc/PID/io).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { EXEC_PATH } from "../../system/exec.ts";
import { findTool, zstdCompressArgs } from "./compress.ts";
import { exitOf, type Settling, toolEnv, toolSource } from "./tool-process.ts";

export interface CompressedSource {
  /** zstd frames at `level` */
  stream: PassThrough;
  child: ReturnType<typeof spawn>;
  level: number;
  /** calls back when the first compressed bytes come (the tool has written its first block) */
  onFirstBytes: (callback: () => void) => void;
  /** the plain bytes the tool wrote: so far while it runs, all of them once the stream ended */
  sourceBytes: () => number;
}

/** zstd's summary line: `( 43732 B =>  22910 B, /*stdout*\)` (1.5), `(43732 => 22910 bytes` (1.4) */
const SUMMARY = /\(\s*(\d+)\s*(?:B\s*)?=>\s*\d+\s*(?:B|bytes)\b/;

/** What the kernel counted process `pid` writing (Linux's /proc/PID/io `wchar`), or null. */
export function bytesWrittenBy(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const line = readFileSync(`/proc/${pid}/io`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("wchar:"));
    return line ? Number(line.slice(6).trim()) : null;
  } catch {
    return null;
  }
}

/**
 * The tool (argv, no shell) writing into zstd at `level`, or null when the `zstd` program is
 * not on `path` (the pipeline then compresses with node:zlib). The stream ends once both
 * exited well and `s.cleanup` ran; it fails with the tool's words (which win) or zstd's;
 * destroying it early kills both.
 */
export function compressedToolSource(
  file: string,
  args: string[],
  env: Record<string, string>,
  s: Settling,
  level: number,
  path: string,
): CompressedSource | null {
  const zstdPath = findTool("zstd", path);
  if (!zstdPath) return null;
  const zstd = spawn(zstdPath, [...zstdCompressArgs(level), "-vv", "--no-progress", "--stdout"], {
    env: toolEnv({}, path),
    stdio: ["pipe", "pipe", "pipe"],
  });
  // the tool writes into zstd's stdin; the agent's own end of that pipe is closed at once, so
  // zstd reads to the end when the tool exits
  const child = spawn(file, args, { env, stdio: ["ignore", zstd.stdin, "pipe"] });
  zstd.stdin?.destroy();
  let said = "";
  zstd.stderr?.on("data", (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-2000);
  });
  let written = 0;
  const sourceBytes = () => {
    const summary = SUMMARY.exec(said);
    if (summary) return Number(summary[1]);
    written = Math.max(written, bytesWrittenBy(child.pid) ?? 0);
    return written;
  };
  const out = new PassThrough();
  zstd.stdout?.pipe(out, { end: false });
  const tool = exitOf(child, s);
  const compressor = exitOf(zstd, { tool: "zstd", accepted: [0] });
  // the tool's failure names the cause (zstd only ever sees its stream end)
  void Promise.allSettled([tool, compressor]).then(([t, z]) => {
    if (t.status === "rejected") out.destroy(t.reason as Error);
    else if (z.status === "rejected") out.destroy(z.reason as Error);
    else out.end();
  });
  out.on("close", () => {
    for (const proc of [child, zstd])
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
  });
  return {
    stream: out,
    child,
    level,
    sourceBytes,
    onFirstBytes: (callback) => zstd.stdout?.once("data", callback),
  };
}

export interface DumpOptions {
  /** where the tools are looked up */
  path?: string;
  /** compress at the source at this zstd level (when the `zstd` program is there) */
  compressionLevel?: number;
}

/**
 * A dump tool as a backup source: piped into zstd when a level is asked for and the program is
 * there (`compressed` then says so), its plain stdout otherwise.
 */
export function dumpToolSource(
  file: string,
  args: string[],
  env: Record<string, string>,
  s: Settling,
  o: DumpOptions,
): {
  stream: PassThrough;
  onFirstBytes: (callback: () => void) => void;
  compressed?: { level: number; sourceBytes: () => number };
} {
  const level = o.compressionLevel;
  const piped =
    level === undefined
      ? null
      : compressedToolSource(file, args, env, s, level, o.path ?? EXEC_PATH);
  if (piped)
    return {
      stream: piped.stream,
      onFirstBytes: piped.onFirstBytes,
      compressed: { level: piped.level, sourceBytes: piped.sourceBytes },
    };
  const { stream, child } = toolSource(file, args, env, s);
  return { stream, onFirstBytes: (callback) => child.stdout?.once("data", callback) };
}
