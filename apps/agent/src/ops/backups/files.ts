// File sources: a node path streamed as a tar (GNU tar by argv, POSIX format, numeric owners),
// no temporary file. The tree is walked here: excludes (globs relative to the root, an excluded
// directory leaves out all it holds) and symlinks whose target leaves the root are left out
// before tar sees a name (tar reads the list, NUL-separated, on stdin, and never recurses).
// The refused symlinks are reported. Restore extracts a stream into a path with tar again.
import { spawn } from "node:child_process";
import { lstat, mkdir, opendir, readlink } from "node:fs/promises";
import { dirname, join, matchesGlob, relative, resolve, sep } from "node:path";
import { PassThrough, Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { intoTool, settle, toolEnv } from "./tool-process.ts";

export interface FileSourceOptions {
  /** the directory to back up (absolute) */
  root: string;
  /** globs relative to the root (`cache/**`, `*.log`, `wp-content/uploads`) */
  excludes?: readonly string[];
  /** GNU tar; /usr/bin/tar unless the agent's configuration says otherwise */
  tar?: string;
}

export interface FileSource {
  stream: Readable;
  /** symlinks left out because their target is outside the root (relative paths) */
  refused: string[];
  /** what tar said about files that changed while read (exit code 1) */
  warnings: string[];
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

async function* walk(
  root: string,
  dir: string,
  excludes: readonly string[],
  refused: string[],
): AsyncGenerator<string> {
  const entries: string[] = [];
  for await (const entry of await opendir(dir)) entries.push(entry.name);
  entries.sort();
  for (const name of entries) {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (excludes.some((glob) => matchesGlob(rel, glob))) continue;
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) {
      if (!inside(root, resolve(dirname(path), await readlink(path)))) {
        refused.push(rel);
        continue;
      }
    }
    yield `./${rel}\0`;
    if (stats.isDirectory()) yield* walk(root, path, excludes, refused);
  }
}

export function fileSource(options: FileSourceOptions): FileSource {
  const root = resolve(options.root);
  const refused: string[] = [];
  const warnings: string[] = [];
  const child = spawn(
    options.tar ?? "/usr/bin/tar",
    // --directory before --files-from: tar applies it to the names that follow
    [
      "--create",
      "--file=-",
      "--format=posix",
      "--numeric-owner",
      "--directory",
      root,
      "--no-recursion",
      "--null",
      "--verbatim-files-from",
      "--files-from=-",
    ],
    { env: toolEnv(), stdio: ["pipe", "pipe", "pipe"] },
  );
  const out = new PassThrough();
  child.stdout?.pipe(out, { end: false });
  let walkError: Error | null = null;
  settle(child, out, { tool: "tar", accepted: [0, 1], warnings, failure: () => walkError });
  out.on("close", () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  });
  const names = async function* () {
    try {
      yield* walk(root, root, options.excludes ?? [], refused);
    } catch (error) {
      // the walk's own error, not what closing tar's stdin makes of it
      walkError = error as Error;
      throw error;
    }
  };
  pipeline(Readable.from(names()), child.stdin as Writable).catch((error: Error) => {
    walkError ??= error;
    child.kill("SIGTERM");
  });
  return { stream: out, refused, warnings };
}

/** A sink for restoreArtifact: extracts the tar stream into `target` (created if missing). */
export function filesSink(target: string, tar = "/usr/bin/tar") {
  return async (source: AsyncIterable<Buffer>): Promise<void> => {
    await mkdir(target, { recursive: true, mode: 0o700 });
    const child = spawn(
      tar,
      [
        "--extract",
        "--file=-",
        "--numeric-owner",
        "--preserve-permissions",
        "--delay-directory-restore",
        "--directory",
        resolve(target),
      ],
      { env: toolEnv(), stdio: ["pipe", "ignore", "pipe"] },
    );
    await intoTool(child, source, { tool: "tar", accepted: [0] });
  };
}
