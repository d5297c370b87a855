// File sources: a node path streamed as a tar (GNU tar by argv, POSIX format, numeric owners),
// no temporary file. The tree is walked here: excludes (globs relative to the root, an excluded
// directory leaves out all it holds) and symlinks whose target leaves the root are left out
// before tar sees a name (tar reads the list, NUL-separated, on stdin, and never recurses).
// The refused symlinks are reported. Restore extracts a stream into a path with tar again.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { lstat, mkdir, opendir, readlink } from "node:fs/promises";
import { dirname, join, matchesGlob, relative, resolve, sep } from "node:path";
import { PassThrough, Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EXEC_PATH } from "../../system/exec.ts";

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

const tarEnv = { PATH: EXEC_PATH, LC_ALL: "C" };

/** Ends `out` when tar exited well, fails it with tar's last words otherwise. */
function settle(
  child: ReturnType<typeof spawn>,
  out: PassThrough,
  accepted: number[],
  warnings: string[],
  failure: () => Error | null = () => null,
) {
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  child.on("error", (error) => out.destroy(error));
  child.on("close", (code, signal) => {
    const failed = failure();
    if (failed) return void out.destroy(failed);
    // the first line says what went wrong; the last is tar's "Exiting with failure status"
    const last = stderr.trim().split("\n")[0] ?? "";
    if (code !== null && accepted.includes(code)) {
      if (code !== 0) warnings.push(...stderr.trim().split("\n"));
      out.end();
    } else
      out.destroy(
        new Error(
          `tar ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${last ? `: ${last}` : ""}`,
        ),
      );
  });
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
    { env: tarEnv, stdio: ["pipe", "pipe", "pipe"] },
  );
  const out = new PassThrough();
  child.stdout?.pipe(out, { end: false });
  let walkError: Error | null = null;
  settle(child, out, [0, 1], warnings, () => walkError);
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
      { env: tarEnv, stdio: ["pipe", "ignore", "pipe"] },
    );
    const done = new PassThrough();
    settle(child, done, [0], []);
    done.resume();
    const exited = new Promise<void>((ok, fail) => {
      done.on("end", ok);
      done.on("error", fail);
    });
    await Promise.all([feed(source, child.stdin as Writable), exited]);
  };
}

/**
 * Writes the stream into tar's stdin with backpressure. tar may exit at its end-of-archive
 * marker before the last padding: the rest is still read (and dropped), so that the stages
 * before it (the artifact's SHA-256 check) see the whole stream.
 */
async function feed(source: AsyncIterable<Buffer>, stdin: Writable): Promise<void> {
  let open = true;
  const closed = () => {
    open = false;
  };
  stdin.on("error", closed);
  stdin.on("close", closed);
  for await (const chunk of source) {
    if (open && !stdin.write(chunk))
      await Promise.race([once(stdin, "drain"), once(stdin, "close")]);
  }
  if (open) stdin.end();
}
