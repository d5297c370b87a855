// The task engine's events through a real engine on both databases: task.failed once a task
// fails for good (not for an attempt that is retried), task.recovered when the next task of the
// same kind and target succeeds, once; nothing for successes without an earlier failure.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import type { TaskSpec } from "../../engine/types.ts";
import { engineSuite, kind } from "../../testing/engine.ts";
import { taskEvents } from "./tasks.ts";

describe.each(dialects())("task events on %s", (dialect) => {
  const suite = engineSuite(dialect);
  const flaky = kind(
    "test.flaky",
    async (ctx) => {
      if (ctx.task.payload.fail) throw new Error(`attempt ${ctx.task.attempt} broke`);
      return null;
    },
    { maxAttempts: 2, backoff: { baseMs: 1, maxMs: 1 } },
  );
  const events = () =>
    suite.db.db
      .selectFrom("events")
      .select(["type", "severity", "outcome", "account_id", "target_type", "target_id", "fields"])
      .where("type", "like", "task.%")
      .orderBy("id")
      .execute();
  const start = async () => {
    await suite.db.db.deleteFrom("events").execute();
    const engine = suite.start([flaky]);
    engine.transitions.onFinish(taskEvents);
    return engine;
  };
  const run = async (
    engine: Awaited<ReturnType<typeof start>>,
    spec: Partial<TaskSpec>,
    end: "succeeded" | "failed",
  ) => {
    const { task } = await engine.enqueue({ kind: "test.flaky", payload: {}, ...spec });
    return suite.waitFor(task.id, end);
  };
  const site = { type: "site", id: "site_recovering" };

  it("records a failure for good, then one recovery of the same kind and target", async () => {
    const engine = await start();
    const failed = await run(
      engine,
      { payload: { fail: true }, target: site, accountId: "acc_x" },
      "failed",
    );
    expect(failed.attempts).toBe(2);
    // the first attempt was retried: no event for it
    expect(await events()).toMatchObject([
      {
        type: "task.failed",
        severity: "critical",
        outcome: "failure",
        account_id: "acc_x",
        target_type: "site",
        target_id: site.id,
      },
    ]);
    const [recorded] = await events();
    expect(JSON.parse(recorded?.fields ?? "")).toEqual({
      taskId: failed.id,
      kind: "test.flaky",
      title: `test.flaky site ${site.id}`,
      attempts: 2,
      error: "attempt 2 broke",
    });

    const fixed = await run(engine, { target: site, accountId: "acc_x" }, "succeeded");
    await run(engine, { target: site, accountId: "acc_x" }, "succeeded");
    // another target's success recovers nothing
    await run(engine, { target: { type: "site", id: "site_other" } }, "succeeded");
    const all = await events();
    expect(all.map((e) => e.type)).toEqual(["task.failed", "task.recovered"]);
    expect(all[1]).toMatchObject({ severity: "info", outcome: "success", target_id: site.id });
    expect(JSON.parse(all[1]?.fields ?? "")).toMatchObject({ taskId: fixed.id, failedAttempts: 2 });
  });

  it("a task without a target recovers when it is run again after failing", async () => {
    const engine = await start();
    const failed = await run(engine, { payload: { fail: true } }, "failed");
    expect((await events()).map((e) => [e.type, e.target_type, e.target_id])).toEqual([
      ["task.failed", "task", failed.id],
    ]);
    // another task of the kind without a target is not the same one
    await run(engine, {}, "succeeded");
    expect(await events()).toHaveLength(1);
    // run again, it succeeds
    await suite.db.db
      .updateTable("tasks")
      .set({ payload: "{}" })
      .where("id", "=", failed.id)
      .execute();
    await engine.rerun({ ...failed, payload: "{}" });
    await suite.waitFor(failed.id, "succeeded");
    expect((await events()).map((e) => [e.type, e.target_id])).toEqual([
      ["task.failed", failed.id],
      ["task.recovered", failed.id],
    ]);
  });
});
