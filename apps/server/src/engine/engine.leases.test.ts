// Leases: the heartbeat keeps a long task's lease; an expired lease (a dead worker) puts the
// task back counted as an attempt, or fails it when none is left; a late worker's outcome
// is then ignored. On both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, kind, pause } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";

const DEAD = "dead-host:999999:deadbeef";

describe.each(dialects())("leases on %s", (dialect) => {
  const s = engineSuite(dialect);
  const quick = (ran: number[]) =>
    kind("t.quick", async (ctx) => void ran.push(ctx.task.attempt), {
      maxAttempts: 2,
      backoff: { baseMs: 20, maxMs: 20 },
    });

  it("renews the lease of a task running longer than the lease", async () => {
    let runs = 0;
    const engine = s.start(
      [
        kind("t.long", async (ctx) => {
          runs++;
          await pause(2_200, ctx.signal);
          return "done";
        }),
      ],
      { leaseMs: 1_000, scheduler: true },
    );
    const { task } = await engine.enqueue({ kind: "t.long", payload: {} });
    const first = await s.waitFor(task.id, "running");
    const firstLease = first.lease_until ?? 0;
    await expect
      .poll(async () => (await s.row(task.id))?.lease_until ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(firstLease);
    const row = await s.waitFor(task.id, "succeeded");
    expect(row).toMatchObject({ attempts: 1, last_error: null });
    expect((row.finished_at ?? 0) - (row.started_at ?? 0)).toBeGreaterThan(1_000);
    expect(runs).toBe(1);
  });

  it("puts a task whose worker died back in the queue, counted as an attempt", async () => {
    const ran: number[] = [];
    const engine = s.start([quick(ran)], { worker: false });
    const { task } = await engine.enqueue({ kind: "t.quick", payload: {} });
    const [claimed] = await claimTasks(s.db, DEAD, 1, 200);
    expect(claimed).toMatchObject({ id: task.id, state: "running", lease_owner: DEAD });
    engine.startScheduler();
    engine.startWorker();
    const row = await s.waitFor(task.id, "succeeded");
    expect(row.attempts).toBe(2);
    expect(ran).toEqual([2]);
  });

  it("reapExpired re-queues with the reason, and fails when no attempt is left", async () => {
    const ran: number[] = [];
    const engine = s.start([quick(ran)], { worker: false });
    const { task } = await engine.enqueue({ kind: "t.quick", payload: {} });
    const [first] = await claimTasks(s.db, DEAD, 1, 60_000);
    expect(first?.id).toBe(task.id);
    // not expired yet: nothing to reap
    expect(await engine.transitions.reapExpired()).toBe(0);
    expect(await engine.transitions.reapExpired(Date.now() + 61_000)).toBe(1);
    const back = await s.row(task.id);
    expect(back).toMatchObject({ state: "queued", attempts: 1, lease_owner: null });
    expect(back?.last_error).toMatch(/attempt 1 stopped answering \(lease expired\)/);
    await pause(50); // its backoff
    const [second] = await claimTasks(s.db, DEAD, 1, 60_000);
    expect(second).toMatchObject({ id: task.id, attempts: 2 });
    expect(await engine.transitions.reapExpired(Date.now() + 61_000)).toBe(1);
    const failed = await s.row(task.id);
    expect(failed).toMatchObject({ state: "failed", attempts: 2, last_outcome: "failed" });
    expect(failed?.last_error).toMatch(/attempt 2 stopped answering \(lease expired\)/);
    expect(ran).toEqual([]);
  });

  it("puts a task interrupted by a graceful stop back without using up an attempt", async () => {
    const attempts: number[] = [];
    const long = kind("t.long", async (ctx) => {
      attempts.push(ctx.task.attempt);
      if (attempts.length === 1) await pause(60_000, ctx.signal);
    });
    const first = s.start([long]);
    const { task } = await first.enqueue({ kind: "t.long", payload: {} });
    await s.waitFor(task.id, "running");
    await first.stop();
    const back = await s.row(task.id);
    expect(back).toMatchObject({ state: "queued", attempts: 0, lease_owner: null });
    expect(back?.last_error).toMatch(/stopped while the task ran; it will be retried/);
    s.start([long]);
    await s.waitFor(task.id, "succeeded");
    expect(attempts).toEqual([1, 1]);
  });

  it("ignores the outcome a worker reports after its lease was reaped", async () => {
    const engine = s.start([quick([])], { worker: false });
    const { task } = await engine.enqueue({ kind: "t.quick", payload: {} });
    const [late] = await claimTasks(s.db, DEAD, 1, 100);
    if (!late) throw new Error("not claimed");
    await engine.transitions.reapExpired(Date.now() + 1_000);
    await engine.transitions.succeed(late, "too late");
    await engine.transitions.fail(late, "too late");
    const row = await s.row(task.id);
    expect(row).toMatchObject({ state: "queued", attempts: 1, result: null });
    expect(row?.last_error).toMatch(/lease expired/);
  });

  it("does not let one worker's heartbeat renew another worker's task", async () => {
    const engine = s.start([kind("t.idle", async (ctx) => pause(2_000, ctx.signal))], {
      leaseMs: 600,
    });
    const { task } = await engine.enqueue({ kind: "t.idle", payload: {} });
    // a live engine is beating; a task held by a dead worker must still expire
    const other = await engine.enqueue({ kind: "t.idle", payload: {}, runAt: Date.now() + 60_000 });
    await s.db.db
      .updateTable("tasks")
      .set({ state: "running", lease_owner: DEAD, lease_until: Date.now() + 200, attempts: 1 })
      .where("id", "=", other.task.id)
      .execute();
    await s.waitFor(task.id, "running");
    await pause(700); // more than three heartbeats of the live engine
    const dead = await s.row(other.task.id);
    expect(dead?.lease_owner).toBe(DEAD);
    expect(dead?.lease_until ?? Infinity).toBeLessThan(Date.now());
  });
});
