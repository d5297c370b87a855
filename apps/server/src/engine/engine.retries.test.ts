// Retries with exponential backoff and jitter, permanent errors, checkpoints resumed on the
// next attempt, and per-kind timeouts, on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, kind, pause } from "../testing/engine.ts";
import { PermanentError, WaitUntil } from "./types.ts";

describe.each(dialects())("retries and timeouts on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("retries a failing handler with backoff until it succeeds", async () => {
    const starts: number[] = [];
    const engine = s.start([
      kind(
        "t.flaky",
        async (ctx) => {
          starts.push(Date.now());
          if (ctx.task.attempt < 3) throw new Error(`flake ${ctx.task.attempt}`);
          return { attempt: ctx.task.attempt };
        },
        { maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1_000 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.flaky", payload: {} });
    expect(task.max_attempts).toBe(3);
    const row = await s.waitFor(task.id, "succeeded");
    expect(row).toMatchObject({ attempts: 3, last_outcome: "succeeded" });
    expect(JSON.parse(row.result ?? "null")).toEqual({ attempt: 3 });
    expect(starts).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = starts;
    // attempt 1 waits at least half of base (jitter), attempt 2 at least half of 2x base
    expect(b - a).toBeGreaterThanOrEqual(50);
    expect(c - b).toBeGreaterThanOrEqual(100);
  });

  it("puts a failed attempt back in the queue with a backoff between half and all of the ceiling", async () => {
    const engine = s.start([
      kind(
        "t.slowretry",
        async () => {
          throw new Error("node unreachable");
        },
        { maxAttempts: 2, backoff: { baseMs: 60_000, maxMs: 600_000 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.slowretry", payload: {} });
    await expect
      .poll(async () => (await s.row(task.id))?.last_error, { timeout: 15_000 })
      .toBe("node unreachable");
    const row = await s.row(task.id);
    expect(row).toMatchObject({ state: "queued", attempts: 1, lease_owner: null });
    const wait = (row?.run_at ?? 0) - (row?.updated_at ?? 0);
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it("runs a task that waits again at its time, its attempt given back", async () => {
    const starts: number[] = [];
    const engine = s.start([
      kind(
        "t.waits",
        async (ctx) => {
          starts.push(Date.now());
          if (starts.length < 3) throw new WaitUntil("waits for the one before", Date.now() + 150);
          return { attempt: ctx.task.attempt };
        },
        { maxAttempts: 1 },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.waits", payload: {} });
    // one attempt allowed, yet it ran three times: the waits were not failures
    const row = await s.waitFor(task.id, "succeeded");
    expect(row).toMatchObject({ attempts: 1, last_outcome: "succeeded" });
    expect(JSON.parse(row.result ?? "null")).toEqual({ attempt: 1 });
    const [a = 0, b = 0, c = 0] = starts;
    expect(b - a).toBeGreaterThanOrEqual(150);
    expect(c - b).toBeGreaterThanOrEqual(150);
  });

  it("fails after the last attempt with the last error", async () => {
    let runs = 0;
    const engine = s.start([
      kind(
        "t.always",
        async (ctx) => {
          runs++;
          throw new Error(`still broken (attempt ${ctx.task.attempt})`);
        },
        { maxAttempts: 2, backoff: { baseMs: 20, maxMs: 20 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.always", payload: {} });
    const row = await s.waitFor(task.id, "failed");
    expect(row).toMatchObject({ attempts: 2, last_error: "still broken (attempt 2)" });
    expect(runs).toBe(2);
  });

  it("does not retry a PermanentError", async () => {
    let runs = 0;
    const engine = s.start([
      kind(
        "t.perm",
        async () => {
          runs++;
          throw new PermanentError("the site no longer exists");
        },
        { maxAttempts: 5, backoff: { baseMs: 10, maxMs: 10 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.perm", payload: {} });
    const row = await s.waitFor(task.id, "failed");
    expect(row).toMatchObject({ attempts: 1, last_error: "the site no longer exists" });
    await pause(200);
    expect(runs).toBe(1);
  });

  it("resumes from the checkpoint saved by the previous attempt", async () => {
    const loaded: unknown[] = [];
    const engine = s.start([
      kind(
        "t.resume",
        async (ctx) => {
          loaded.push(ctx.checkpoint.load() ?? null);
          if (ctx.task.attempt === 1) {
            await ctx.checkpoint.save({ copied: ["a", "b"] });
            throw new Error("connection reset after b");
          }
          const from = ctx.checkpoint.load<{ copied: string[] }>();
          return { copied: [...(from?.copied ?? []), "c"] };
        },
        { maxAttempts: 2, backoff: { baseMs: 20, maxMs: 20 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.resume", payload: {} });
    const row = await s.waitFor(task.id, "succeeded");
    expect(loaded).toEqual([null, { copied: ["a", "b"] }]);
    expect(JSON.parse(row.result ?? "null")).toEqual({ copied: ["a", "b", "c"] });
    expect(JSON.parse(row.checkpoint ?? "null")).toEqual({ copied: ["a", "b"] });
  });

  it("aborts the signal and fails the attempt when the kind's timeout passes", async () => {
    const reasons: string[] = [];
    const engine = s.start([
      kind(
        "t.hang",
        async (ctx) => {
          ctx.signal.addEventListener("abort", () =>
            reasons.push(String((ctx.signal.reason as Error).message)),
          );
          await pause(60_000, ctx.signal);
        },
        { timeoutMs: 300, maxAttempts: 1 },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.hang", payload: {} });
    const row = await s.waitFor(task.id, "failed");
    expect(row.last_error).toBe("timed out after 0.3 s");
    expect(row.finished_at ?? 0).toBeGreaterThanOrEqual((row.started_at ?? 0) + 300);
    expect(reasons).toEqual(["timed out after 0.3 s"]);
  });

  it("retries a timed-out attempt when attempts are left", async () => {
    const engine = s.start([
      kind(
        "t.slowfirst",
        async (ctx) => {
          // the first attempt ignores its signal: the engine must not wait for it
          if (ctx.task.attempt === 1) await new Promise(() => {});
          return "second attempt was quick";
        },
        { timeoutMs: 200, maxAttempts: 2, backoff: { baseMs: 20, maxMs: 20 } },
      ),
    ]);
    const { task } = await engine.enqueue({ kind: "t.slowfirst", payload: {} });
    const row = await s.waitFor(task.id, "succeeded");
    expect(row.attempts).toBe(2);
    expect(JSON.parse(row.result ?? "null")).toBe("second attempt was quick");
  });
});
