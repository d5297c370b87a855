// The operation framework's shape (docs/design.md, principle 4): every operation validates, stages,
// tests, activates, verifies, and rolls back on failure; it is idempotent (changed: false
// when the node already is as asked) and reports each step. Handlers only describe their
// work through this context; the runner (framework.ts) does the bookkeeping.
import type { OperationName, OpFailureCode, OpInput, OpOutput } from "@steward/contracts/agent";
import type { AgentConfig } from "../config.ts";
import type { LockedService } from "../system/service.ts";

export type Phase = "stage" | "test" | "activate" | "verify";

export interface ExecOptions {
  /** ms; default 60 s */
  timeoutMs?: number;
  /** extra environment (the rest is a minimal fixed one, never the caller's) */
  env?: Record<string, string>;
  cwd?: string;
  /** data written to stdin */
  input?: string;
  /** a non-zero exit is not a failure of the step (the caller looks at exitCode) */
  allowFailure?: boolean;
  /** bytes of stdout/stderr read (each, the end); default 1 MiB */
  maxOutput?: number;
  /**
   * false: the step's stdout is left out of the result (the panel shows steps to the site's
   * users; `nginx -T` prints every tenant's configuration). The caller still gets it.
   */
  recordStdout?: boolean;
}

export interface Peer {
  address: string;
  localPort: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface FileOwnership {
  mode?: number;
  uid?: number;
  gid?: number;
}

export interface OpContext {
  config: AgentConfig;
  signal: AbortSignal;
  requestId: string;
  /** the request's connection: the address it came from, the agent's port it reached */
  peer: Peer | null;
  log(level: "info" | "warn" | "error", message: string): void;
  /**
   * Runs a process (argv, never a shell) as a named step, recorded in the result. Throws an
   * OpFailure naming the step when it exits non-zero (unless allowFailure).
   */
  exec(step: string, argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** A step that runs no process (rendering, comparing, a request); recorded with its duration. */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /**
   * Writes a file atomically (temp + rename, mode, owner); the previous content (or its
   * absence) is kept so a rollback restores it. Returns false when the content was already
   * identical (nothing written), which is how operations know `changed`.
   */
  writeFile(path: string, content: string | Uint8Array, opts?: FileOwnership): Promise<boolean>;
  /** Removes a file, keeping it for rollback. false when it did not exist. */
  removeFile(path: string): Promise<boolean>;
  /**
   * Creates a directory and its missing parents (mode, owner applied to the ones it
   * creates; an existing directory gets mode/owner fixed when given). A rollback removes the
   * directories this operation created. Returns false when nothing changed.
   */
  mkdir(path: string, opts?: FileOwnership): Promise<boolean>;
  /**
   * Registers an undo action. On failure the framework first restores every file and
   * directory this operation touched (newest first), then runs the undo actions newest
   * first, so an action registered in "activate" (reload the service) sees the old files.
   */
  onRollback(name: string, fn: () => Promise<void>): void;
  /** Marks that something changed on the node (files written count by themselves). */
  changed(): void;
  /** Enters a phase; a failure in "activate" or "verify" rolls back, earlier ones just undo staging. */
  phase<T>(phase: Phase, fn: () => Promise<T>): Promise<T>;
}

/**
 * A failure a person can act on: the message is shown in the panel task's log as is; the
 * code is one of contracts' opFailureCode.
 */
export class OpFailure extends Error {
  readonly code: OpFailureCode;
  constructor(code: OpFailureCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface OpHandler<N extends OperationName = OperationName> {
  name: N;
  /**
   * The services it stages, tests and reloads as a whole: the framework holds a per-node lock
   * on each from the first phase to the end of "verify", and during a rollback.
   */
  services?: readonly LockedService[];
  run(ctx: OpContext, input: OpInput<N>): Promise<OpOutput<N>>;
}
