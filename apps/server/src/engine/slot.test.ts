// A slot's stop: the handler's run settles at once even when the handler ignores its signal,
// the signal is aborted whether it was read before or after the stop, and the first reason wins.
import { describe, expect, it } from "vitest";
import { Slot } from "./slot.ts";
import type { TaskRow } from "./types.ts";

const task = { id: "task_1" } as TaskRow;

describe("a worker's slot", () => {
  it("settles a handler that ignores its signal when stopped, with the stop's error", async () => {
    const slot = new Slot(task);
    const run = slot.run(() => new Promise<never>(() => {}));
    slot.stop("cancel", new Error("cancelled"));
    await expect(run).rejects.toThrow("cancelled");
    expect(slot.reason).toBe("cancel");
  });

  it("aborts a signal read before the stop, and hands out an aborted one after it", () => {
    const before = new Slot(task);
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    before.stop("timeout", new Error("timed out after 1 s"));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe("timed out after 1 s");
    const after = new Slot(task);
    after.stop("shutdown", new Error("shutting down"));
    expect(after.signal.aborted).toBe(true);
    expect((after.signal.reason as Error).message).toBe("shutting down");
  });

  it("keeps the first reason, and refuses to run once stopped", async () => {
    const slot = new Slot(task);
    slot.stop("lost", new Error("the task's lease was lost"));
    slot.stop("timeout", new Error("timed out after 1 s"));
    expect(slot.reason).toBe("lost");
    expect(slot.error?.message).toBe("the task's lease was lost");
    let started = false;
    await expect(
      slot.run(async () => {
        started = true;
      }),
    ).rejects.toThrow("lease was lost");
    expect(started).toBe(false);
  });

  it("returns what the handler returns, and a handler's own error", async () => {
    await expect(new Slot(task).run(async () => 42)).resolves.toBe(42);
    await expect(
      new Slot(task).run(() => {
        throw new Error("sync failure");
      }),
    ).rejects.toThrow("sync failure");
  });
});
