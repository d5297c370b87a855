// Scheduler health of one engine: a worker or scheduler loop that has not ticked for longer
// than the threshold makes it stalled, and it recovers when the loops run again.
import { setTimeout as sleep } from "node:timers/promises";
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite } from "../testing/engine.ts";
import { schedulerCheck } from "./health.ts";

describe.each(dialects())("scheduler health on %s", (dialect) => {
  const suite = engineSuite(dialect);

  it("says so when this process runs neither loop, and counts it healthy", () => {
    const engine = suite.start([], { worker: false });
    const h = engine.health();
    expect(h).toMatchObject({ runnerAgeMs: null, schedulerAgeMs: null, stalled: false });
    expect(schedulerCheck(h)).toEqual({
      ok: true,
      detail: "this process runs no worker or scheduler (STEWARD_ROLES)",
    });
  });

  it("is stalled while the event loop is blocked, and recovers", async () => {
    const engine = suite.start([], { scheduler: true, stallAfterMs: 500 });
    await expect.poll(() => engine.health().schedulerAgeMs).not.toBeNull();
    await expect.poll(() => engine.health().stalled).toBe(false);
    expect(schedulerCheck(engine.health())).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^worker last ticked .* ago, 0 task\(s\) running; scheduler/),
    });

    // neither the worker's poll nor the reaper can run while this spins
    for (const until = Date.now() + 600; Date.now() < until; );
    const blocked = engine.health();
    expect(blocked.stalled).toBe(true);
    expect(blocked.runnerAgeMs).toBeGreaterThan(500);
    expect(blocked.schedulerAgeMs).toBeGreaterThan(500);
    expect(schedulerCheck(blocked)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^stalled \(no tick for over 0\.5 s\): worker last ticked/),
    });

    await expect.poll(() => engine.health().stalled).toBe(false);
  });

  it("is stalled when the worker stopped ticking while the scheduler runs", async () => {
    const engine = suite.start([], { scheduler: true, stallAfterMs: 200 });
    await engine.startWorker().stop();
    await sleep(300);
    const h = engine.health();
    expect(h.stalled).toBe(true);
    expect(h.runnerAgeMs).toBeGreaterThan(200);
    expect(h.schedulerAgeMs).not.toBeNull();
    expect(schedulerCheck(h)).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^stalled .*; scheduler last ticked/),
    });
  });
});
