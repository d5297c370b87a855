// Runs a process from an argument array: never a shell, a fixed minimal environment (the
// agent's own is never passed on), a timeout and an abort signal that kill the process, and
// bounded output (the end is kept: that is where errors are).
import { spawn } from "node:child_process";

export const EXEC_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

export interface RunOptions {
  /** ms; default 60 s */
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
  input?: string;
  signal?: AbortSignal;
  /** bytes of stdout/stderr kept (each, the end); default 1 MiB */
  maxOutput?: number;
}

export interface RunResult {
  exitCode: number;
  /** the signal that ended it, if any */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

/** The process could not start or was stopped: a message a person can act on, a code. */
export class ExecError extends Error {
  readonly code: "NOT_FOUND" | "NOT_EXECUTABLE" | "SPAWN_FAILED" | "TIMEOUT" | "CANCELLED";
  constructor(code: ExecError["code"], message: string) {
    super(message);
    this.code = code;
  }
}

/** Keeps the last `max` bytes written to it, and how many were dropped. */
export class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }
  push(b: Buffer) {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size > this.max) {
      const first = this.chunks[0] as Buffer;
      const over = this.size - this.max;
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
        this.dropped += over;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** The end of a text, at most `max` bytes, with a marker saying how much was cut. */
export function truncateTail(text: string, max = 4096): string {
  const b = Buffer.from(text, "utf8");
  if (b.length <= max) return text;
  return `[${b.length - max} bytes truncated]\n${b.subarray(b.length - max).toString("utf8")}`;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new ExecError("SPAWN_FAILED", "no command given"));
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const max = opts.maxOutput ?? 1024 * 1024;
  if (opts.signal?.aborted) return Promise.reject(cancelled(file));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      shell: false,
      env: { PATH: EXEC_PATH, LC_ALL: "C", ...opts.env },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out = new Tail(max);
    const err = new Tail(max);
    child.stdout?.on("data", (b: Buffer) => out.push(b));
    child.stderr?.on("data", (b: Buffer) => err.push(b));
    if (opts.input !== undefined) {
      child.stdin?.on("error", () => {}); // the process may exit without reading
      child.stdin?.end(opts.input);
    }
    let stopped: "timeout" | "abort" | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timeout" | "abort") => {
      if (stopped || child.exitCode !== null) return;
      stopped = why;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => child.kill("SIGKILL"), 2000);
      killTimer.unref();
    };
    const timer = setTimeout(() => stop("timeout"), timeoutMs);
    const onAbort = () => stop("abort");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (e: NodeJS.ErrnoException) => {
      done();
      reject(spawnError(file, e));
    });
    child.on("exit", (code, signal) => {
      done();
      // A daemon it started may hold our pipes open (nginx, php-fpm fork and detach): read
      // what is there, then stop waiting for the pipes.
      const finish = () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        if (stopped === "abort") return reject(cancelled(file));
        if (stopped === "timeout")
          return reject(
            new ExecError(
              "TIMEOUT",
              `${file} did not finish within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`} and was stopped`,
            ),
          );
        resolve({
          exitCode: code ?? 128,
          signal,
          stdout: out.text(),
          stderr: err.text(),
          durationMs: Math.round(performance.now() - started),
          timedOut: false,
        });
      };
      let finished = false;
      const once = () => {
        if (finished) return;
        finished = true;
        clearTimeout(quiet);
        finish();
      };
      // wait for the pipes to close, or for 200 ms without output
      let quiet = setTimeout(once, 200);
      const again = () => {
        clearTimeout(quiet);
        quiet = setTimeout(once, 200);
      };
      child.stdout?.on("data", again);
      child.stderr?.on("data", again);
      child.on("close", once);
    });
  });
}

function cancelled(file: string) {
  return new ExecError("CANCELLED", `${file} was stopped: the operation was cancelled`);
}

function spawnError(file: string, e: NodeJS.ErrnoException): ExecError {
  if (e.code === "ENOENT")
    return new ExecError(
      "NOT_FOUND",
      `${file} was not found: install it, or set its path in the agent's agent.json`,
    );
  if (e.code === "EACCES")
    return new ExecError("NOT_EXECUTABLE", `${file} is not executable (permission denied)`);
  return new ExecError("SPAWN_FAILED", `${file} could not be started: ${e.message}`);
}
