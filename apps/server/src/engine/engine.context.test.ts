// What a handler's context records (logs, progress, live events) and unique keys, on both
// dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { busReady, engineSuite, gate, kind } from "../testing/engine.ts";
import type { TaskEvent } from "./events.ts";

describe.each(dialects())("handler context and unique keys on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("records logs and progress, and streams them as events", async () => {
    const go = gate();
    const halfway = gate();
    const finish = gate();
    const engine = s.start([
      kind("t.talk", async (ctx) => {
        await go.opened;
        ctx.log.info("starting \u001b[31mred\u0007 copy");
        await ctx.progress(0.5, "copied 5 of 10 files");
        ctx.log.warn("slow disk");
        halfway.open();
        await finish.opened;
        ctx.log.error("x".repeat(9_000));
        await ctx.progress(7, "overshoot is clamped");
        return "ok";
      }),
    ]);
    await busReady(engine);
    const { task } = await engine.enqueue({ kind: "t.talk", payload: {} });
    const events: TaskEvent[] = [];
    engine.bus.onEvent(task.id, (e) => events.push(e));
    await s.waitFor(task.id, "running");
    go.open();
    await halfway.opened;
    await expect
      .poll(async () => (await s.row(task.id))?.progress_message)
      .toBe("copied 5 of 10 files");
    expect((await s.row(task.id))?.progress).toBe(0.5);
    finish.open();
    const row = await s.waitFor(task.id, "succeeded");
    expect(row.progress).toBe(1);
    const logs = await s.db.db
      .selectFrom("task_logs")
      .selectAll()
      .where("task_id", "=", task.id)
      .orderBy("id")
      .execute();
    expect(logs.map((l) => [l.level, l.attempt, l.message.slice(0, 30)])).toEqual([
      ["info", 1, "starting [31mred copy"],
      ["warn", 1, "slow disk"],
      ["error", 1, "x".repeat(30)],
    ]);
    expect(logs[2]?.message).toHaveLength(8_000);
    // a log line and a progress update sent at the same time may arrive in either order
    const names = () => events.map((e) => (e.type === "state" ? `state:${e.state}` : e.type));
    await expect.poll(() => names().at(-1)).toBe("state:succeeded");
    expect(names().sort()).toEqual([
      "log",
      "log",
      "log",
      "progress",
      "progress",
      "state:succeeded",
    ]);
    expect(events.filter((e) => e.type === "progress")).toEqual([
      { type: "progress", taskId: task.id, progress: 0.5, message: "copied 5 of 10 files" },
      { type: "progress", taskId: task.id, progress: 1, message: "overshoot is clamped" },
    ]);
  });

  it("returns the active task for a unique key, and allows a new one after it finished", async () => {
    const release = gate();
    const engine = s.start(
      [
        kind(
          "t.renew",
          async () => {
            await release.opened;
          },
          { unique: (p: Record<string, unknown>) => String(p.domain) },
        ),
      ],
      { worker: false },
    );
    const first = await engine.enqueue({ kind: "t.renew", payload: { domain: "a.test" } });
    expect(first.created).toBe(true);
    expect(first.task.unique_key).toBe("t.renew:a.test");
    const again = await engine.enqueue({ kind: "t.renew", payload: { domain: "a.test" } });
    expect(again).toMatchObject({ created: false, task: { id: first.task.id } });
    const other = await engine.enqueue({ kind: "t.renew", payload: { domain: "b.test" } });
    expect(other.created).toBe(true);
    engine.startWorker();
    await s.waitFor(first.task.id, "running");
    const whileRunning = await engine.enqueue({ kind: "t.renew", payload: { domain: "a.test" } });
    expect(whileRunning).toMatchObject({ created: false, task: { id: first.task.id } });
    release.open();
    await s.waitFor(first.task.id, "succeeded");
    const after = await engine.enqueue({ kind: "t.renew", payload: { domain: "a.test" } });
    expect(after.created).toBe(true);
    expect(after.task.id).not.toBe(first.task.id);
    await s.waitFor(after.task.id, "succeeded");
  });

  it("creates one task when the same unique key is enqueued concurrently", async () => {
    const engine = s.start(
      [kind("t.renew", async () => {}, { unique: (p: Record<string, unknown>) => String(p.d) })],
      { worker: false },
    );
    const results = await Promise.all(
      Array.from({ length: 8 }, () => engine.enqueue({ kind: "t.renew", payload: { d: "x" } })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.task.id)).size).toBe(1);
    const rows = await s.db.db.selectFrom("tasks").select("id").execute();
    expect(rows).toHaveLength(1);
  });
});
