import type { z } from "zod";
import type { TaskTable } from "../db/schema.ts";

export type TaskRow = TaskTable;

/**
 * The columns a claim returns (claim.ts): what the runner, the transitions and the finish
 * hook's `wants` read of a task they hold. node-postgres parses every column of every claimed
 * row: all 35 cost it twice the Node CPU per row of these (bench/README.md).
 */
export const CLAIMED_COLUMNS = [
  "id",
  "kind",
  "payload",
  "state",
  "target_type",
  "target_id",
  "account_id",
  "enabled",
  "priority",
  "run_at",
  "expression",
  "timezone",
  "on_success",
  "attempts",
  "max_attempts",
  "lease_owner",
  "concurrency_key",
  "progress",
  "checkpoint",
  "last_outcome",
] as const;

/** A task as a worker holds it (a whole row is one too). */
export type ClaimedTask = Pick<TaskRow, (typeof CLAIMED_COLUMNS)[number]>;

/** What a service asks for when it enqueues a task. */
export interface TaskSpec {
  kind: string;
  payload: unknown;
  target?: { type: string; id: string } | null;
  accountId?: string | null;
  /** epoch ms; default now */
  runAt?: number;
  /** 0 runs first, 9 last; default 5 */
  priority?: number;
  /** a cron expression makes the task recurring */
  expression?: string | null;
  timezone?: string | null;
  /** run-once tasks: delete the row on success, or keep it disabled as a record (default) */
  onSuccess?: "delete" | "disable";
  /** ids of tasks that must succeed first */
  dependsOn?: string[];
  enabled?: boolean;
  createdBy?: string | null;
  parentId?: string | null;
  /**
   * A queued task of the same kind and target (a twin still waiting, perhaps backing off) is
   * brought forward, due now with its attempts renewed, and returned instead of a new one
   * (`created: false`). For kinds whose every task does the latest work (a site's apply).
   */
  bringForward?: boolean;
}

export interface TaskLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface HandlerContext<P> {
  task: { id: string; kind: string; attempt: number; maxAttempts: number; payload: P };
  log: TaskLogger;
  /** fraction 0..1 and an optional line saying what is happening */
  progress(fraction: number, message?: string): Promise<void>;
  /** aborted on cancellation, timeout or shutdown; handlers pass it to what they await */
  signal: AbortSignal;
  checkpoint: { load<T>(): T | undefined; save(value: unknown): Promise<void> };
  /** director tasks fan out: the child records this task as its parent */
  enqueue(spec: TaskSpec): Promise<TaskRow>;
}

/** A failure that retrying cannot fix (bad payload, refused by the node...). */
export class PermanentError extends Error {}

/**
 * Not a failure: the task waits on something else (a notification delivery for the one made
 * before it) and goes back to the queue, due at `runAt`, the attempt given back.
 */
export class WaitUntil extends Error {
  readonly runAt: number;
  constructor(message: string, runAt: number) {
    super(message);
    this.runAt = runAt;
  }
}

export interface HandlerDef<S extends z.ZodType = z.ZodType> {
  kind: string;
  description: string;
  payload: S;
  timeoutMs: number;
  maxAttempts: number;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * at most `limit` running tasks share a key (e.g. one operation at a time per site); the
   * limit may come from the payload (a backup plan's runs per node), fixed when enqueued
   */
  concurrency?: { key: (p: z.infer<S>) => string; limit: number | ((p: z.infer<S>) => number) };
  /** tasks with the same key start at least `seconds` apart */
  gap?: { key: (p: z.infer<S>) => string; seconds: number };
  /** an active task with the same key is returned instead of a duplicate */
  unique?: (p: z.infer<S>) => string;
  /** may be created through the API / CLI (`task add`), and whether it may be recurring */
  userCreatable?: boolean;
  recurring?: boolean;
  /** system tasks are seen and managed by super users only */
  system?: boolean;
  run(ctx: HandlerContext<z.infer<S>>): Promise<unknown>;
}
