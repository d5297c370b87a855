// `noop`: a task that does nothing (optionally for a while, optionally logging a line). For
// checking that workers pick tasks up, for the task engine's benchmarks, and, with `steps`,
// for watching a log and a progress bar arrive live.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { HandlerDef } from "../types.ts";

const payload = z.strictObject({
  /** how long it takes, in ms (it ends early when cancelled) */
  sleepMs: z.number().int().min(0).max(600_000).default(0),
  /** a line to write to the task's log */
  message: z.string().max(500).optional(),
  /** logs "step i of n" and reports progress i/n, the steps spread over sleepMs */
  steps: z.number().int().min(1).max(1000).optional(),
});

export function noopTask(): HandlerDef<typeof payload> {
  return {
    kind: "noop",
    description:
      "does nothing (for checks and benchmarks): waits sleepMs, logs message if given; with " +
      "steps, logs and reports progress step by step over sleepMs",
    payload,
    timeoutMs: 11 * 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    userCreatable: true,
    recurring: false,
    system: true,
    async run(ctx) {
      const { sleepMs, message, steps } = ctx.task.payload;
      const wait = (ms: number) => (ms > 0 ? sleep(ms, undefined, { signal: ctx.signal }) : null);
      if (steps === undefined) {
        if (message !== undefined) ctx.log.info(message);
        await wait(sleepMs);
        return null;
      }
      // each step waits its share (the remainder spread over the first ones), then says so
      for (let i = 1; i <= steps; i++) {
        await wait(Math.floor(sleepMs / steps) + (i <= sleepMs % steps ? 1 : 0));
        const line = `step ${i} of ${steps}`;
        ctx.log.info(message === undefined ? line : `${line}: ${message}`);
        await ctx.progress(i / steps, line);
      }
      return { steps };
    },
  };
}
