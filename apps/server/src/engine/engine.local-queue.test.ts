// The local queue (engine/local-queue.ts) and batched outcomes (engine/complete.ts) on both
// dialects: tasks claimed ahead of the free slots start in line, a cancel reaches them while
// they wait, a stop puts them back unstarted (none stuck, none run twice), and one batch of
// outcomes records each task's own (success, or retry with its error and backoff) and
// announces each state.
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { busReady, type EngineSuite, engineSuite, kind } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";
import type { TaskEvent } from "./events.ts";
import { createLocalQueue } from "./local-queue.ts";
import type { TaskRow } from "./types.ts";

const row = (id: string) => ({ id }) as TaskRow;

/** Gate tasks claimed (running in the database) whose handler has not started: they wait. */
async function waitingGates(s: EngineSuite, started: string[]) {
  const held = await s.db.db
    .selectFrom("tasks")
    .select("id")
    .where("kind", "=", "t.gate")
    .where("state", "=", "running")
    .execute();
  return held.map((r) => r.id).filter((id) => !started.includes(id));
}

describe("the local queue's depth", () => {
  it("follows the tasks started in the last two windows, at most its size, refilled at half", () => {
    const queue = createLocalQueue(5);
    expect(queue.ahead(0)).toBe(0); // nothing started yet: claim for free slots only
    for (const id of ["a", "b", "c", "d", "e", "f", "g"]) queue.add(row(id));
    const started = [queue.take(10), queue.take(20), queue.take(30)].map((task) => task?.id);
    expect(started).toEqual(["a", "b", "c"]); // in claim order
    expect(queue.remove("e")?.id).toBe("e");
    expect(queue.ids()).toEqual(["d", "f", "g"]);
    // 3 started in this window: depth 3, and 3 wait (more than half of it): claim nothing
    expect(queue.ahead(50)).toBe(0);
    expect(queue.drain().map((task) => task.id)).toEqual(["d", "f", "g"]);
    expect(queue.ahead(50)).toBe(3);
    // the next window still counts the last one's starts; two windows later they are gone
    expect(queue.ahead(150)).toBe(3);
    expect(queue.ahead(400)).toBe(0);
    for (let i = 0; i < 9; i++) {
      queue.add(row(`t${i}`));
      queue.take(400 + i);
    }
    expect(queue.ahead(410)).toBe(5); // nine started, at most the size
    // tasks asked for by a claim on its way count as held: the next claim asks for the rest
    expect(queue.ahead(410, 2)).toBe(3);
    expect(queue.ahead(410, 3)).toBe(0);
  });

  it("refilled at three quarters for two claims at once, counting what the first asked for", () => {
    const queue = createLocalQueue(8, 0.75);
    for (let i = 0; i < 8; i++) {
      queue.add(row(`t${i}`));
      queue.take(i);
    }
    expect(queue.ahead(10)).toBe(8); // depth 8, nothing held
    expect(queue.ahead(10, 2)).toBe(6); // 2 asked for: 6 at or under 3/4 of 8
    expect(queue.ahead(10, 7)).toBe(0); // 7 over 3/4 of 8: wait
  });
});

describe.each(dialects())("the local queue on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("claims ahead of its one slot, and on stop puts the waiting tasks back unstarted", async () => {
    const runs = new Map<string, number>();
    let open = false;
    const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);
    const quick = kind("t.quick", async (ctx) => void count(ctx.task.id));
    const gate = kind("t.gate", async (ctx) => {
      count(ctx.task.id);
      while (!open && !ctx.signal.aborted) await new Promise((r) => setTimeout(r, 5));
    });
    const engine = s.start([quick, gate], { worker: false, concurrency: 1 });
    const specs = [
      ...Array.from({ length: 300 }, () => ({ kind: "t.quick", payload: {}, priority: 1 })),
      ...Array.from({ length: 300 }, () => ({ kind: "t.gate", payload: {}, priority: 5 })),
    ];
    const ids = (await engine.enqueueMany(specs)).map((e) => e.task.id);
    engine.startWorker();
    // the quick tasks taught the queue to claim ahead: gate tasks wait claimed behind the first
    await expect
      .poll(async () => (await waitingGates(s, [...runs.keys()])).length, {
        timeout: 30_000,
        interval: 10,
      })
      .toBeGreaterThan(0);
    await engine.stop();
    const rows = await s.db.db
      .selectFrom("tasks")
      .select(["id", "state", "attempts", "last_error"])
      .execute();
    expect(rows.filter((r) => r.state === "running")).toEqual([]);
    const queued = rows.filter((r) => r.state === "queued");
    expect(queued.filter((r) => r.attempts !== 0)).toEqual([]);
    // put back: the task the stop aborted, and those that waited claimed behind it
    const back = queued.filter((r) => /stopped while the task ran/.test(r.last_error ?? ""));
    console.log(
      JSON.stringify(
        rows.reduce(
          (m, r) => {
            const k = `${r.state}:${r.attempts}:${r.last_error}`;
            m[k] = (m[k] ?? 0) + 1;
            return m;
          },
          {} as Record<string, number>,
        ),
      ),
    );
    expect(back.length).toBeGreaterThan(1);
    // every task that started ran once; the rest run, once each, on the next worker
    open = true;
    s.start([quick, gate], { concurrency: 4 });
    await expect.poll(async () => runs.size, { timeout: 30_000, interval: 25 }).toBe(ids.length);
    const twice = [...runs].filter(([, n]) => n > 1).map(([id]) => id);
    // only the gate task the stop aborted ran again
    expect(twice.length).toBeLessThanOrEqual(1);
    await expect
      .poll(
        async () =>
          Number(
            (
              await s.db.db
                .selectFrom("tasks")
                .select(sql<number>`count(*)`.as("n"))
                .where("state", "=", "succeeded")
                .executeTakeFirstOrThrow()
            ).n,
          ),
        { timeout: 30_000 },
      )
      .toBe(ids.length);
  }, 90_000);

  it("cancels a task waiting in the local queue without starting it", async () => {
    const started: string[] = [];
    let open = false;
    const quick = kind("t.quick", async (ctx) => void started.push(ctx.task.id));
    const gate = kind("t.gate", async (ctx) => {
      started.push(ctx.task.id);
      while (!open && !ctx.signal.aborted) await new Promise((r) => setTimeout(r, 5));
    });
    const engine = s.start([quick, gate], { worker: false, concurrency: 1 });
    await busReady(engine);
    await engine.enqueueMany(
      Array.from({ length: 300 }, () => ({ kind: "t.quick", payload: {}, priority: 1 })),
    );
    const gates = await engine.enqueueMany(
      Array.from({ length: 100 }, () => ({ kind: "t.gate", payload: {}, priority: 5 })),
    );
    engine.startWorker();
    await expect
      .poll(async () => (await waitingGates(s, started)).length, { timeout: 30_000, interval: 10 })
      .toBeGreaterThan(0);
    const [id] = await waitingGates(s, started);
    if (!id) throw new Error("no waiting task");
    const before = await s.row(id);
    if (!before) throw new Error(`no task ${id}`);
    const change = await engine.cancel(before, "cancelled by a@b.c");
    expect(change.to).toBe("cancelling");
    const after = await s.waitFor(id, "cancelled");
    expect(after.lease_owner).toBeNull();
    open = true;
    await expect.poll(() => started.length, { timeout: 30_000 }).toBe(300 + gates.length - 1);
    expect(started).not.toContain(id);
  }, 90_000);

  it("runs again, after their lease, the tasks a dead worker held in its local queue", async () => {
    const dead = "dead-host:999999:deadbeef";
    const ran = new Map<string, number[]>();
    const quick = kind(
      "t.quick",
      async (ctx) => void ran.set(ctx.task.id, [...(ran.get(ctx.task.id) ?? []), ctx.task.attempt]),
      { maxAttempts: 3, backoff: { baseMs: 20, maxMs: 20 } },
    );
    const engine = s.start([quick], { worker: false });
    const ids = (
      await engine.enqueueMany(Array.from({ length: 6 }, () => ({ kind: "t.quick", payload: {} })))
    ).map((e) => e.task.id);
    // a worker claims one task for its slot and five ahead of it, then dies (no heartbeat)
    const held = await claimTasks(s.db, dead, 6, 400, 1);
    expect(held.map((t) => [t.state, t.lease_owner])).toEqual(ids.map(() => ["running", dead]));
    engine.startWorker();
    engine.startScheduler();
    for (const id of ids) await s.waitFor(id, "succeeded");
    // each ran once, as its second attempt: only after the reaper put it back (lease ended)
    expect(ids.map((id) => ran.get(id))).toEqual(ids.map(() => [2]));
  }, 60_000);

  it("records a batch of outcomes each with its own, and announces each state", async () => {
    const flaky = kind(
      "t.flaky",
      async (ctx) => {
        if ((ctx.task.payload as { fail?: boolean }).fail) throw new Error(`failed ${ctx.task.id}`);
        return { ok: ctx.task.id };
      },
      { maxAttempts: 3, backoff: { baseMs: 60_000, maxMs: 60_000 } },
    );
    const engine = s.start([flaky], { worker: false, concurrency: 8 });
    await busReady(engine);
    const specs = Array.from({ length: 40 }, (_, i) => ({
      kind: "t.flaky",
      payload: { fail: i % 2 === 1 },
    }));
    const ids = (await engine.enqueueMany(specs)).map((e) => e.task.id);
    const heard = new Map<string, string[]>();
    for (const id of ids)
      engine.bus.onEvent(id, (e: TaskEvent) => {
        if (e.type === "state") heard.set(id, [...(heard.get(id) ?? []), e.state]);
      });
    const startedAt = Date.now();
    engine.startWorker();
    await expect
      .poll(() => [...heard.values()].filter((states) => states.length > 0).length, {
        timeout: 30_000,
      })
      .toBe(ids.length);
    const rows = await s.db.db.selectFrom("tasks").selectAll().where("id", "in", ids).execute();
    for (const [i, id] of ids.entries()) {
      const r = rows.find((x) => x.id === id);
      if (i % 2 === 1) {
        expect(r).toMatchObject({ state: "queued", attempts: 1, last_error: `failed ${id}` });
        expect(r?.lease_owner).toBeNull();
        // backoff: between half the ceiling and the ceiling (schedule.ts)
        expect(Number(r?.run_at)).toBeGreaterThanOrEqual(startedAt + 30_000);
        expect(heard.get(id)).toEqual(["queued"]);
      } else {
        expect(r).toMatchObject({ state: "succeeded", enabled: 0, last_error: null, progress: 1 });
        expect(JSON.parse(r?.result ?? "null")).toEqual({ ok: id });
        expect(r?.lease_owner).toBeNull();
        expect(heard.get(id)).toEqual(["succeeded"]);
      }
    }
  }, 60_000);
});
