// The built-in `noop` task: runs, waits, logs its message, and with `steps` logs and reports
// progress step by step; cancellable mid-way. On both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { busReady, engineSuite } from "../../testing/engine.ts";
import { noopTask } from "./noop.ts";

describe.each(dialects())("noop task on %s", (dialect) => {
  const s = engineSuite(dialect);
  const lines = async (taskId: string) =>
    (
      await s.db.db
        .selectFrom("task_logs")
        .select("message")
        .where("task_id", "=", taskId)
        .orderBy("id")
        .execute()
    ).map((r) => r.message);

  it("logs its message and succeeds", async () => {
    const engine = s.start([noopTask()]);
    const { task } = await engine.enqueue({ kind: "noop", payload: { message: "hello" } });
    await s.waitFor(task.id, "succeeded");
    expect(await lines(task.id)).toEqual(["hello"]);
  });

  it("logs each step and reports its progress, spread over sleepMs", async () => {
    const engine = s.start([noopTask()]);
    const { task } = await engine.enqueue({
      kind: "noop",
      payload: { steps: 3, sleepMs: 300, message: "hi" },
    });
    const done = await s.waitFor(task.id, "succeeded");
    expect(await lines(task.id)).toEqual(["step 1 of 3: hi", "step 2 of 3: hi", "step 3 of 3: hi"]);
    expect(Number(done.progress)).toBe(1);
    expect(JSON.parse(done.result ?? "null")).toEqual({ steps: 3 });
    expect((done.finished_at ?? 0) - (done.started_at ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it("refuses steps outside 1..1000", async () => {
    const engine = s.start([noopTask()], { worker: false });
    for (const steps of [0, 1001, 2.5])
      await expect(engine.enqueue({ kind: "noop", payload: { steps } })).rejects.toThrow(
        /^payload\.steps: /,
      );
  });

  it("stops between steps when cancelled", async () => {
    const engine = s.start([noopTask()]);
    await busReady(engine);
    const { task } = await engine.enqueue({
      kind: "noop",
      payload: { steps: 100, sleepMs: 60_000 },
    });
    await expect
      .poll(async () => (await lines(task.id)).length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await s.db.db
      .updateTable("tasks")
      .set({ cancel_requested: 1 })
      .where("id", "=", task.id)
      .execute();
    await engine.bus.publish({ type: "state", taskId: task.id, state: "cancelling" });
    await s.waitFor(task.id, "cancelled");
    expect((await lines(task.id)).length).toBeLessThan(100);
  });
});
