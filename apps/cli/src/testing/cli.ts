// Runs the real `steward` CLI as a child process (argv arrays only, never a shell) against a
// data directory of its own, for the CLI's end-to-end tests.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { settingEnvNames } from "@steward/server/testing/settings";
import { expect } from "vitest";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const cliMain = join(repoRoot, "apps/cli/src/main.ts");

/** Node's compile cache makes each spawn ~2x cheaper; it is keyed by file content. */
const compileCache = join(tmpdir(), "steward-test-compile-cache");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** extra environment; undefined removes a variable */
  env?: Record<string, string | undefined>;
  /** written to standard input, which is then closed (it is always closed) */
  input?: string;
  timeoutMs?: number;
  /** a module node loads first (`node --import`), e.g. one that registers task kinds */
  preload?: string;
  /** run as this uid (and gid): tests run as root, who reads any file */
  uid?: number;
  /** run the sources even when npm test built the bundle (STEWARD_TEST_CLI) */
  sources?: boolean;
  /** standard output into this new file (as `> FILE` would), not captured */
  stdoutFile?: string;
  /** close the reading end of its standard output at once (`steward … | head -0`) */
  closedStdout?: boolean;
}

const settingEnv = new Set([...settingEnvNames, "STEWARD_CONFIG"]);

/** The test process's environment without any Steward setting that could leak in. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!settingEnv.has(k)) env[k] = v;
  }
  env.NODE_COMPILE_CACHE = compileCache;
  // tests start many panels at once: none runs a local agent unless the test asks for one
  env.STEWARD_LOCAL_AGENT = "0";
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

const warm = new Map<string, Promise<unknown>>();
/**
 * Fills the compile cache with one command of a CLI (the sources, which `steward serve` runs,
 * unless told the bundle) before any other runs: ten processes writing the sources' ~1,400
 * files into one directory at once take many seconds on a slow disk.
 */
export function warmUp(opts: RunOptions = { sources: true }): Promise<unknown> {
  const entry = testedCli(opts);
  let done = warm.get(entry);
  if (!done) {
    // its own data directory, removed once it ran: a file or bench that never calls
    // removeDataDirs() (the console's e2e files, bench:api) left one behind, a master key in it
    const dir = mkdtempSync(join(tmpdir(), "steward-cli-warm-"));
    done = spawnCli(dir, ["user", "list"], { ...opts, timeoutMs: 60_000 }).finally(() =>
      rmSync(dir, { recursive: true, force: true }),
    );
    warm.set(entry, done);
  }
  return done;
}

/** `node apps/cli/src/main.ts ...args` with STEWARD_DATA_DIR=dataDir; resolves when it exits. */
export async function runCli(
  dataDir: string,
  args: string[],
  opts: RunOptions = {},
): Promise<CliResult> {
  await warmUp({ preload: opts.preload, sources: opts.sources });
  return spawnCli(dataDir, args, opts);
}

/**
 * The CLI the tests run: `npm test` builds the prebuilt bundle users run (bin/steward) and
 * names it in STEWARD_TEST_CLI, which starts ~2x faster than the sources; a single file run
 * through vitest directly, or a command with a preloaded module (which must share the
 * sources' module instances), runs the sources.
 */
const testedCli = (opts: RunOptions) =>
  (!opts.preload && !opts.sources && process.env.STEWARD_TEST_CLI) || cliMain;

function spawnCli(dataDir: string, args: string[], opts: RunOptions): Promise<CliResult> {
  const preload = opts.preload ? ["--import", opts.preload] : [];
  return runNode(process.execPath, dataDir, [...preload, testedCli(opts), ...args], opts);
}

/** `node ...argv` with STEWARD_DATA_DIR=dataDir, standard input closed; resolves on exit. */
/** A `steward serve` child on `port`, with `dataDir` as its data directory and cwd. */
export function spawnServe(
  dataDir: string,
  port: number,
  env: Record<string, string | undefined> = {},
): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [cliMain, "serve", "--port", String(port)], {
    cwd: dataDir,
    env: baseEnv({ STEWARD_DATA_DIR: dataDir, ...env }),
  });
}

/** What a child has written so far to stdout and to stderr, kept as it comes. */
export function captureOutput(child: { stdout: Readable; stderr: Readable }): {
  stdout: string;
  stderr: string;
} {
  const seen = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    seen.stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    seen.stderr += d;
  });
  return seen;
}

export function runNode(
  node: string,
  dataDir: string,
  argv: string[],
  opts: RunOptions = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const out = opts.stdoutFile ? openSync(opts.stdoutFile, "wx", 0o600) : "pipe";
    const child = spawn(node, argv, {
      cwd: dataDir,
      env: baseEnv({ STEWARD_DATA_DIR: dataDir, ...opts.env }),
      stdio: ["pipe", out, "pipe"],
      ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    });
    if (typeof out === "number") closeSync(out);
    const { stdin, stderr } = child as { stdin: Writable; stderr: Readable };
    const output = captureOutput({ stdout: child.stdout ?? Readable.from([]), stderr });
    if (opts.closedStdout) child.stdout?.destroy();
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: output.stdout, stderr: output.stderr });
    });
    stdin.on("error", () => {}); // the CLI may exit before reading its input
    stdin.end(opts.input ?? "");
  });
}

const made: string[] = [];

/** A fresh, empty data directory, removed by removeDataDirs(). */
export function tempDataDir(prefix = "steward-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeDataDirs() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

const show = (args: string[], r: CliResult) =>
  `steward ${args.join(" ")}\n--- exit ${r.code ?? r.signal}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** One data directory (and optionally a database URL) and the commands run against it. */
export function cliFor(dataDir = tempDataDir(), env: Record<string, string | undefined> = {}) {
  const run = (args: string[], opts: RunOptions = {}) =>
    runCli(dataDir, args, { ...opts, env: { ...env, ...opts.env } });
  const cli = {
    dataDir,
    run,
    /** Runs a command that must succeed; returns its stdout. */
    async ok(args: string[], opts: RunOptions = {}): Promise<string> {
      const r = await run(args, opts);
      expect(r.code, show(args, r)).toBe(0);
      return r.stdout;
    },
    /** Runs a command with --json that must succeed; returns its parsed output. */
    async json<T = unknown>(args: string[], opts: RunOptions = {}): Promise<T> {
      const all = ["--json", ...args];
      const r = await run(all, opts);
      expect(r.code, show(all, r)).toBe(0);
      try {
        return JSON.parse(r.stdout) as T;
      } catch {
        throw new Error(`stdout is not JSON:\n${show(all, r)}`);
      }
    },
    /**
     * Runs a command that must fail with `code`, nothing on stdout and exactly one line on
     * stderr (`steward: ...`); returns that line.
     */
    async fails(args: string[], code: 1 | 2, opts: RunOptions = {}): Promise<string> {
      const r = await run(args, opts);
      expect(r.code, show(args, r)).toBe(code);
      expect(r.stdout, show(args, r)).toBe("");
      const lines = r.stderr.split("\n").filter((l) => l !== "");
      expect(lines, show(args, r)).toHaveLength(1);
      expect(r.stderr.endsWith("\n"), show(args, r)).toBe(true);
      const line = lines[0] ?? "";
      expect(line, show(args, r)).toMatch(/^steward: \S/);
      return line;
    },
    /** The actions of the audit events matching `--action`, sorted. */
    async auditActions(action: string): Promise<string[]> {
      const audit = await cli.json<Page<AuditJson>>(["audit", "list", "--action", action]);
      return audit.items.map((e) => e.action).sort();
    },
    /** The JSON each command prints: what a refused command must leave as it was. */
    snapshot: (commands: string[][]) => Promise.all(commands.map((args) => cli.json(args))),
  };
  return cli;
}
export type Cli = ReturnType<typeof cliFor>;

export interface UserJson {
  id: string;
  email: string;
  name: string;
  super: boolean;
  disabled: boolean;
  twoFactorEnabled: boolean;
  passkeys: number;
  githubLinked: boolean;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface AuditJson {
  id: string;
  at: string;
  actorType: string;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
}

export const PASSWORD = "correct horse battery staple";
