// Task kinds for tests of the task API and the CLI: one that logs lines and reports progress
// with pauses (and can fail, or run until cancelled), a system one, one users may not create,
// one with a single active task per account.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Registry } from "../engine/registry.ts";
import { PermanentError } from "../engine/types.ts";

export const LINES = "test.lines";
export const SYSTEM_KIND = "test.system";
export const INTERNAL_KIND = "test.internal";
export const UNIQUE_KIND = "test.unique";

const linesPayload = z.strictObject({
  lines: z.number().int().min(0).max(100).default(0),
  delayMs: z.number().int().min(0).max(5_000).default(0),
  word: z.string().max(40).default("line"),
  fail: z.boolean().default(false),
  /** after its lines, waits until it is cancelled */
  hold: z.boolean().default(false),
});

export function registerTestKinds(registry: Registry) {
  if (registry.get(LINES)) return;
  registry.register({
    kind: LINES,
    description: "logs numbered lines with a pause between them, reporting progress",
    payload: linesPayload,
    timeoutMs: 60_000,
    maxAttempts: 1,
    userCreatable: true,
    recurring: true,
    async run(ctx) {
      const { lines, delayMs, word, fail, hold } = ctx.task.payload;
      for (let i = 1; i <= lines; i++) {
        ctx.log.info(`${word} ${i}`);
        await ctx.progress(i / lines, `${i} of ${lines}`);
        if (delayMs) await sleep(delayMs, undefined, { signal: ctx.signal });
      }
      if (hold) await sleep(120_000, undefined, { signal: ctx.signal });
      if (fail) throw new PermanentError("asked to fail");
      return { lines };
    },
  });
  registry.register({
    kind: SYSTEM_KIND,
    description: "a system task: super users only",
    payload: z.strictObject({}),
    timeoutMs: 5_000,
    maxAttempts: 1,
    userCreatable: true,
    system: true,
    async run() {
      return null;
    },
  });
  registry.register({
    kind: UNIQUE_KIND,
    description: "at most one active per account",
    payload: z.strictObject({ account: z.string().max(64) }),
    timeoutMs: 5_000,
    maxAttempts: 1,
    userCreatable: true,
    unique: (p) => p.account,
    async run() {
      return null;
    },
  });
  registry.register({
    kind: INTERNAL_KIND,
    description: "enqueued by the panel itself, never by users",
    payload: z.strictObject({}),
    timeoutMs: 5_000,
    maxAttempts: 1,
    async run() {
      return null;
    },
  });
}
