// States, due times, priorities and transactional enqueue, on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, gate, kind, pause } from "../testing/engine.ts";

describe.each(dialects())("task states on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("goes queued -> running -> succeeded, with timestamps and the result", async () => {
    const release = gate();
    const engine = s.start(
      [
        kind("t.wait", async () => {
          await release.opened;
          return { ok: true };
        }),
      ],
      { worker: false },
    );
    const { task } = await engine.enqueue({ kind: "t.wait", payload: {} });
    expect(task.state).toBe("queued");
    expect((await s.row(task.id))?.state).toBe("queued");
    engine.startWorker();
    const running = await s.waitFor(task.id, "running");
    expect(running.attempts).toBe(1);
    expect(running.lease_owner).toMatch(/^.+:\d+:[0-9a-f]{8}$/);
    expect(running.lease_until).toBeGreaterThan(running.started_at ?? 0);
    release.open();
    const done = await s.waitFor(task.id, "succeeded");
    expect(done).toMatchObject({
      attempts: 1,
      last_outcome: "succeeded",
      last_error: null,
      lease_owner: null,
      lease_until: null,
      progress: 1,
    });
    expect(JSON.parse(done.result ?? "null")).toEqual({ ok: true });
    expect(done.finished_at).toBeGreaterThanOrEqual(done.started_at ?? Infinity);
  });

  it("goes queued -> running -> failed with the error's message when no attempt is left", async () => {
    const engine = s.start([
      kind("t.boom", async () => {
        throw new Error("the disk is full");
      }),
    ]);
    const { task } = await engine.enqueue({ kind: "t.boom", payload: {} });
    const row = await s.waitFor(task.id, "failed");
    expect(row).toMatchObject({
      attempts: 1,
      last_outcome: "failed",
      last_error: "the disk is full",
      lease_owner: null,
    });
    expect(row.finished_at).not.toBeNull();
  });

  it("waits for run_at when it is in the future", async () => {
    const ran: number[] = [];
    const engine = s.start([kind("t.later", async () => void ran.push(Date.now()))]);
    const runAt = Date.now() + 900;
    const { task } = await engine.enqueue({ kind: "t.later", payload: {}, runAt });
    await pause(300);
    expect((await s.row(task.id))?.state).toBe("queued");
    expect(ran).toEqual([]);
    const row = await s.waitFor(task.id, "succeeded");
    expect(row.started_at).toBeGreaterThanOrEqual(runAt);
    expect(ran[0]).toBeGreaterThanOrEqual(runAt);
  });

  it("runs by priority, 0 first and 9 last, then by due time", async () => {
    const order: string[] = [];
    const engine = s.start(
      [kind("t.prio", async (ctx) => void order.push(String(ctx.task.payload.name)))],
      { worker: false, concurrency: 1 },
    );
    const base = Date.now() - 10_000;
    const specs = [
      ["p5-first", 5, base],
      ["p9", 9, base],
      ["p0", 0, base + 5],
      ["p3", 3, base],
      ["p5-second", 5, base + 1],
      ["p7", 7, base],
      ["p1", 1, base],
    ] as const;
    for (const [name, priority, runAt] of specs)
      await engine.enqueue({ kind: "t.prio", payload: { name }, priority, runAt });
    engine.startWorker();
    await expect.poll(() => order.length, { timeout: 15_000 }).toBe(specs.length);
    expect(order).toEqual(["p0", "p1", "p3", "p5-first", "p5-second", "p7", "p9"]);
  });

  it("rejects a priority outside 0..9 naming the field", async () => {
    const engine = s.start([kind("t.noop", async () => {})], { worker: false });
    for (const priority of [-1, 10, 2.5])
      await expect(engine.enqueue({ kind: "t.noop", payload: {}, priority })).rejects.toThrow(
        /^priority: must be an integer from 0 to 9/,
      );
  });

  it("enqueue inside a transaction that rolls back leaves no task", async () => {
    const ran: string[] = [];
    const engine = s.start([kind("t.tx", async (ctx) => void ran.push(ctx.task.id))]);
    let id = "";
    await expect(
      s.db.db.transaction().execute(async (trx) => {
        id = (await engine.enqueue({ kind: "t.tx", payload: {} }, trx)).task.id;
        throw new Error("the service's own write failed");
      }),
    ).rejects.toThrow("the service's own write failed");
    expect(id).not.toBe("");
    await pause(300);
    expect(await s.row(id)).toBeUndefined();
    expect(ran).toEqual([]);
  });

  it("enqueue inside a transaction that commits runs once the transaction is done", async () => {
    const ran: string[] = [];
    const engine = s.start([kind("t.tx", async (ctx) => void ran.push(ctx.task.id))]);
    const id = await s.db.db.transaction().execute(async (trx) => {
      const { task } = await engine.enqueue({ kind: "t.tx", payload: {} }, trx);
      // the worker cannot see it before commit
      await pause(200);
      expect(ran).toEqual([]);
      return task.id;
    });
    await s.waitFor(id, "succeeded");
    expect(ran).toEqual([id]);
  });
});
