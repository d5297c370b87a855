// The operation runner (docs/design.md, principle 4). A handler describes its work through an
// OpContext; this records every step, keeps what it changed, and on failure puts the node
// back: before "activate" the result is `failed` (nothing was live), from "activate" on it
// is `rolled_back`. When the undo itself fails the result is `failed` with ROLLBACK_FAILED,
// saying what could not be restored.
// The services a handler declares (`services`) are locked for this node from its first phase
// to the end of "verify", and during a rollback (lock.ts): no other operation stages, tests or
// reloads them meanwhile.
import { rm, stat } from "node:fs/promises";
import type { OpResult, OpStep } from "@steward/contracts/agent";
import type { AgentConfig } from "../config.ts";
import { ExecError, run, truncateTail } from "../system/exec.ts";
import { fixOwnership, mkdirp, snapshot } from "../system/files.ts";
import type { LockedService } from "../system/service.ts";
import { Journal } from "./journal.ts";
import { holder, type KeyedLock, nodeServices } from "./lock.ts";
import { type OpContext, OpFailure, type Peer, type Phase } from "./types.ts";
import { writeFileStep } from "./write.ts";

export interface RunnableOp {
  name: string;
  /** what it stages, tests and reloads as a whole (locked per node from stage to verify) */
  services?: readonly LockedService[];
  run(ctx: OpContext, input: never): Promise<unknown>;
}

export interface LogLine {
  type: "log";
  at: string;
  level: "info" | "warn" | "error";
  message: string;
}

export interface RunOptions {
  config: AgentConfig;
  requestId: string;
  /** the request's connection (null when not run for a request) */
  peer?: Peer | null;
  signal?: AbortSignal;
  /** each log line, as it happens */
  onLog?: (line: LogLine) => void;
  /** an error that was not an OpFailure: the details go to the agent's log, not the result */
  onUnexpected?: (error: unknown, step: string) => void;
  /** bytes of stdout/stderr kept per step (the end); default 4 KiB */
  outputLimit?: number;
  /** the node's service locks; default: this process's (one agent per node) */
  locks?: KeyedLock;
}

const never = new AbortController().signal;

export async function runOperation(
  handler: RunnableOp,
  input: unknown,
  o: RunOptions,
): Promise<OpResult> {
  const steps: OpStep[] = [];
  const journal = new Journal();
  const signal = o.signal ?? never;
  const limit = o.outputLimit ?? 4096;
  let changed = false;
  let activated = false;
  let rollingBack = false;
  let where = "start";

  const record = (s: Omit<OpStep, "stdout" | "stderr"> & { stdout?: string; stderr?: string }) =>
    steps.push({
      ...s,
      stdout: truncateTail(s.stdout ?? "", limit),
      stderr: truncateTail(s.stderr ?? "", limit),
    });
  const live = () => {
    if (!rollingBack && signal.aborted)
      throw new OpFailure("CANCELLED", "the operation was cancelled");
  };
  const log: OpContext["log"] = (level, message) =>
    o.onLog?.({ type: "log", at: new Date().toISOString(), level, message });
  const held = holder(handler.services ?? [], o.locks ?? nodeServices, (names) => {
    log("info", `waiting for other operations on ${names} to finish`);
    return (ok, durationMs) =>
      record({
        name: `wait for other operations on ${names}`,
        command: null,
        exitCode: null,
        durationMs,
        ok,
      });
  });
  const hold = held.hold;
  const letGo = held.release;

  const ctx: OpContext = {
    config: o.config,
    signal,
    requestId: o.requestId,
    peer: o.peer ?? null,
    log,
    async exec(step, argv, opts = {}) {
      live();
      where = step;
      log("info", `${step}: ${argv.join(" ")}`);
      const started = performance.now();
      try {
        const r = await run(argv, { ...opts, signal: rollingBack ? never : signal });
        const ok = r.exitCode === 0 || opts.allowFailure === true;
        const { exitCode, stderr, durationMs } = r;
        const stdout =
          opts.recordStdout === false
            ? `[${Buffer.byteLength(r.stdout)} bytes, not recorded]`
            : r.stdout;
        record({ name: step, command: [...argv], exitCode, stdout, stderr, durationMs, ok });
        if (!ok) throw new OpFailure("COMMAND_FAILED", exitMessage(step, argv, { ...r, stdout }));
        return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        if (!(e instanceof ExecError)) throw e;
        const durationMs = Math.round(performance.now() - started);
        record({ name: step, command: [...argv], exitCode: null, durationMs, ok: false });
        const code = e.code === "NOT_FOUND" ? "COMMAND_NOT_FOUND" : e.code;
        throw new OpFailure(code, `${step}: ${e.message}`);
      }
    },
    async step(name, fn) {
      live();
      where = name;
      const started = performance.now();
      const durationMs = () => Math.round(performance.now() - started);
      try {
        const value = await fn();
        record({ name, command: null, exitCode: null, durationMs: durationMs(), ok: true });
        return value;
      } catch (e) {
        const stderr = e instanceof Error ? e.message : String(e);
        record({
          name,
          command: null,
          exitCode: null,
          durationMs: durationMs(),
          ok: false,
          stderr,
        });
        throw e;
      }
    },
    async writeFile(path, content, opts = {}) {
      live();
      const wrote = await ctx.step(`write ${path}`, () =>
        writeFileStep(journal, path, content, opts),
      );
      if (wrote) changed = true;
      return wrote;
    },
    async removeFile(path) {
      live();
      return ctx.step(`remove ${path}`, async () => {
        const s = await snapshot(path);
        if (s.content === null) return false;
        journal.file(s);
        await rm(path);
        changed = true;
        return true;
      });
    },
    async mkdir(path, opts = {}) {
      live();
      return ctx.step(`mkdir ${path}`, async () => {
        const created = await mkdirp(path, opts);
        for (const dir of created) journal.createdDir(dir);
        if (created.length > 0) changed = true;
        if (created.length > 0 || opts.mode === undefined) return created.length > 0;
        const before = await stat(path);
        if (!(await fixOwnership(path, opts))) return false;
        journal.attrs(path, before.mode & 0o7777, before.uid, before.gid);
        changed = true;
        return true;
      });
    },
    onRollback(name, fn) {
      journal.action({ name, fn });
    },
    changed() {
      changed = true;
    },
    async phase<T>(phase: Phase, fn: () => Promise<T>): Promise<T> {
      live();
      await hold(signal);
      where = phase;
      if (phase === "activate" || phase === "verify") activated = true;
      log("info", `phase ${phase}`);
      const value = await fn();
      // what follows verify (deleting a removed site's files) needs no service
      if (phase === "verify") letGo();
      return value;
    },
  };

  try {
    const output = await handler.run(ctx, input as never);
    return { status: "ok", changed, steps, output };
  } catch (e) {
    const error = describe(e, where, o);
    log("error", error.message);
    rollingBack = true;
    // a rollback restores and reloads: it holds the services again (never cancelled)
    if (!journal.empty) await hold();
    const failures: string[] = [];
    for (const u of journal.undos()) {
      try {
        await ctx.step(`rollback: ${u.name}`, u.fn);
      } catch (err) {
        failures.push(`${u.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (failures.length > 0) {
      const message = `${error.message}; the rollback did not complete (${failures.join("; ")})`;
      log("error", message);
      return {
        status: "failed",
        changed: true,
        steps,
        error: { code: "ROLLBACK_FAILED", message },
      };
    }
    if (!journal.empty) log("warn", activated ? "rolled back" : "undid the staged changes");
    return { status: activated ? "rolled_back" : "failed", changed: false, steps, error };
  } finally {
    letGo();
  }
}

function describe(e: unknown, where: string, o: RunOptions): NonNullable<OpResult["error"]> {
  if (e instanceof OpFailure) return { code: e.code, message: e.message };
  o.onUnexpected?.(e, where);
  return {
    code: "INTERNAL",
    message: `unexpected error in step "${where}" (the agent's log has the details, request ${o.requestId})`,
  };
}

function exitMessage(
  step: string,
  argv: string[],
  r: { exitCode: number; stderr: string; stdout: string },
) {
  const lines = (r.stderr.trim() || r.stdout.trim()).split("\n");
  const last = (lines[lines.length - 1] ?? "").trim().slice(0, 300);
  return `${step} failed: ${argv[0]} exited with code ${r.exitCode}${last ? `: ${last}` : ""}`;
}
