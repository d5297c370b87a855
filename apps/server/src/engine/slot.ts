// A task in one of a worker's slots (runner.ts): why it was stopped, and its handler's abort
// signal, made when the handler first reads `ctx.signal` (a handler that never does costs no
// controller). Stopping the slot aborts that signal and settles the handler's run at once,
// without an abort listener added and removed per task.
import type { ClaimedTask } from "./types.ts";

export type StopReason = "cancel" | "timeout" | "shutdown" | "lost";

export class Slot {
  /** why the handler was stopped: the first reason given wins */
  reason: StopReason | null = null;
  /** the error it was stopped with (the signal's reason) */
  error: Error | null = null;
  #abort: AbortController | null = null;
  #reject: ((err: Error) => void) | null = null;

  readonly task: ClaimedTask;

  constructor(task: ClaimedTask) {
    this.task = task;
  }

  /** the handler's `ctx.signal`: aborted when the slot is stopped, before or after this read */
  get signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController();
      if (this.error) this.#abort.abort(this.error);
    }
    return this.#abort.signal;
  }

  /** stops the handler (once): its signal aborts with `error` and run() rejects with it */
  stop(reason: StopReason, error: Error): void {
    if (this.reason) return;
    this.reason = reason;
    this.error = error;
    this.#abort?.abort(error);
    this.#reject?.(error);
  }

  /** the handler's work, settled by it or by stop(), whichever comes first */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.error) return Promise.reject(this.error);
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      work().then(resolve, reject);
    });
  }
}
