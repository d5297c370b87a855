// `noop`: a task that does nothing (optionally for a while, optionally logging a line). For
// checking that workers pick tasks up, and for the task engine's benchmarks.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { HandlerDef } from "../types.ts";

const payload = z.strictObject({
  /** how long it takes, in ms (it ends early when cancelled) */
  sleepMs: z.number().int().min(0).max(600_000).default(0),
  /** a line to write to the task's log */
  message: z.string().max(500).optional(),
});

export function noopTask(): HandlerDef<typeof payload> {
  return {
    kind: "noop",
    description: "does nothing (for checks and benchmarks): waits sleepMs, logs message if given",
    payload,
    timeoutMs: 11 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    userCreatable: true,
    recurring: false,
    system: true,
    async run(ctx) {
      const { sleepMs, message } = ctx.task.payload;
      if (message !== undefined) ctx.log.info(message);
      if (sleepMs > 0) await sleep(sleepMs, undefined, { signal: ctx.signal });
      return null;
    },
  };
}
