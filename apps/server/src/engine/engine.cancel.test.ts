// Cancellation: a queued task at once, a running one through its AbortSignal (by a bus
// event, or by the heartbeat seeing cancel_requested), on both dialects, through the
// engine's cancel (engine/manage.ts) that the task API (modules/tasks) calls.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import type { Db } from "../db/open.ts";
import {
  busReady,
  type EngineSuite,
  engineSuite,
  kind,
  pause,
  type TestEngine,
} from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";

/** The engine's cancel, as the task API calls it. */
async function cancel(s: EngineSuite, engine: TestEngine, id: string) {
  const row = await s.row(id);
  if (!row) throw new Error(`no task ${id}`);
  return engine.cancel(row, "cancelled by a@b.c");
}

/** As another process without the bus would: only the row changes. */
async function requestCancel(db: Db, id: string) {
  await db.db
    .updateTable("tasks")
    .set({ cancel_requested: 1 })
    .where("id", "=", id)
    .where("state", "=", "running")
    .executeTakeFirstOrThrow();
}

describe.each(dialects())("cancellation on %s", (dialect) => {
  const s = engineSuite(dialect);
  const reasons: string[] = [];
  const hang = kind("t.hang", async (ctx) => {
    ctx.signal.addEventListener("abort", () =>
      reasons.push(String((ctx.signal.reason as Error).message)),
    );
    await pause(60_000, ctx.signal);
  });

  it("cancels a queued task at once; it never runs and its dependants fail", async () => {
    const ran: string[] = [];
    const engine = s.start([kind("t.later", async (ctx) => void ran.push(ctx.task.id))]);
    const a = (await engine.enqueue({ kind: "t.later", payload: {}, runAt: Date.now() + 500 }))
      .task;
    const b = (await engine.enqueue({ kind: "t.later", payload: {}, dependsOn: [a.id] })).task;
    expect(await cancel(s, engine, a.id)).toMatchObject({ from: "queued", to: "cancelled" });
    const rb = await s.waitFor(b.id, "failed");
    expect(rb.last_error).toBe(
      `prerequisite ${a.id} (t.later) did not succeed: cancelled by a@b.c`,
    );
    await pause(800);
    expect(ran).toEqual([]);
    expect((await s.row(a.id))?.state).toBe("cancelled");
  });

  it("aborts a running task through the bus, without waiting for a heartbeat", async () => {
    reasons.length = 0;
    // a heartbeat every 20 s: only the event can reach the worker in time
    const engine = s.start([hang], { leaseMs: 60_000 });
    await busReady(engine);
    const { task } = await engine.enqueue({ kind: "t.hang", payload: {} });
    await s.waitFor(task.id, "running");
    expect(await cancel(s, engine, task.id)).toMatchObject({
      from: "running",
      to: "cancelling",
      task: { cancel_requested: 1 },
    });
    const row = await s.waitFor(task.id, "cancelled", 8_000);
    expect(row).toMatchObject({ last_outcome: "cancelled", last_error: "cancelled" });
    expect(row.lease_owner).toBeNull();
    expect(reasons).toEqual(["cancelled"]);
  });

  it("aborts a running task when its heartbeat sees cancel_requested", async () => {
    reasons.length = 0;
    const engine = s.start([hang], { leaseMs: 600 });
    const { task } = await engine.enqueue({ kind: "t.hang", payload: {} });
    await s.waitFor(task.id, "running");
    await requestCancel(s.db, task.id);
    await s.waitFor(task.id, "cancelled");
    expect(reasons).toEqual(["cancelled"]);
  });

  it("ends as cancelled even when the handler ignores its signal", async () => {
    const engine = s.start([kind("t.deaf", () => new Promise(() => {}))], { leaseMs: 60_000 });
    await busReady(engine);
    const { task } = await engine.enqueue({ kind: "t.deaf", payload: {} });
    await s.waitFor(task.id, "running");
    await cancel(s, engine, task.id);
    await s.waitFor(task.id, "cancelled");
  });

  it("cancels a task whose worker died once its lease expires", async () => {
    const engine = s.start([hang], { worker: false });
    const { task } = await engine.enqueue({ kind: "t.hang", payload: {} });
    await claimTasks(s.db, "dead-host:999999:deadbeef", 1, 60_000);
    await cancel(s, engine, task.id);
    expect(await engine.transitions.reapExpired(Date.now() + 61_000)).toBe(1);
    expect(await s.row(task.id)).toMatchObject({ state: "cancelled", attempts: 1 });
  });
});
