// The context a handler runs with: logs and progress that stream live, the abort signal,
// checkpoints that survive a retry, and enqueue for director tasks.
import type { Db } from "../db/open.ts";
import { monotonicIds } from "../lib/ids.ts";
import { enqueue } from "./enqueue.ts";
import type { TaskBus } from "./events.ts";
import type { Registry } from "./registry.ts";
import type { ClaimedTask, HandlerContext } from "./types.ts";

export interface TaskContextDeps {
  db: Db;
  bus: TaskBus;
  registry: Registry;
}

const MAX_LINE = 8000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: log lines are stripped of control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * The handler's context, and `flush` to wait for its log lines before the outcome is written
 * (null when it wrote none). `stopper.signal` is read when the handler reads `ctx.signal`.
 */
export function createHandlerContext<P>(
  deps: TaskContextDeps,
  task: ClaimedTask,
  payload: P,
  stopper: { readonly signal: AbortSignal },
): { ctx: HandlerContext<P>; flush: () => Promise<unknown> | null } {
  const { db, bus } = deps;
  let chain: Promise<unknown> = Promise.resolve();
  let wrote = false;
  let checkpoint: unknown = task.checkpoint === null ? undefined : JSON.parse(task.checkpoint);
  // readers stream lines "after the last id sent": ids must sort in the order lines were written
  const logId = monotonicIds("log");

  const write = (level: "info" | "warn" | "error", message: string) => {
    const line = String(message).replace(CONTROL, "").slice(0, MAX_LINE);
    const id = logId();
    wrote = true;
    chain = chain
      .then(() =>
        db.db
          .insertInto("task_logs")
          .values({
            id,
            task_id: task.id,
            at: Date.now(),
            attempt: task.attempts,
            level,
            message: line,
          })
          .execute(),
      )
      .then(() => bus.publish({ type: "log", taskId: task.id }))
      .catch(() => {});
  };

  const ctx: HandlerContext<P> = {
    task: {
      id: task.id,
      kind: task.kind,
      attempt: task.attempts,
      maxAttempts: task.max_attempts,
      payload,
    },
    log: {
      info: (m) => write("info", m),
      warn: (m) => write("warn", m),
      error: (m) => write("error", m),
    },
    async progress(fraction, message) {
      await chain; // lines logged before a progress report are seen before it
      const progress = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
      const text =
        message === undefined ? null : String(message).replace(CONTROL, "").slice(0, 500);
      await db.db
        .updateTable("tasks")
        .set({ progress, progress_message: text, updated_at: Date.now() })
        .where("id", "=", task.id)
        .execute();
      await bus.publish({ type: "progress", taskId: task.id, progress, message: text });
    },
    get signal() {
      return stopper.signal;
    },
    checkpoint: {
      load: <T>() => checkpoint as T | undefined,
      async save(value) {
        checkpoint = value;
        await db.db
          .updateTable("tasks")
          .set({ checkpoint: JSON.stringify(value), updated_at: Date.now() })
          .where("id", "=", task.id)
          .execute();
      },
    },
    async enqueue(spec) {
      await chain;
      const { task: child } = await enqueue(db.db, deps.registry, bus, {
        ...spec,
        parentId: task.id,
        accountId: spec.accountId ?? task.account_id,
      });
      return child;
    },
  };
  return { ctx, flush: () => (wrote ? chain : null) };
}
