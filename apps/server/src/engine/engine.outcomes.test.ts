// One statement of batched outcomes (engine/complete.ts) larger than a NOTIFY payload holds:
// its state events go out in several payloads (the ids of up to 200 tasks each, events.ts
// `states`), every task's heard once with its own state, on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { busReady, engineSuite, kind } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";
import type { TaskEvent } from "./events.ts";

describe.each(dialects())("a batch of outcomes on %s", (dialect) => {
  const s = engineSuite(dialect);
  const quick = kind("t.quick", async () => ({}), { maxAttempts: 3 });

  it("announces each task's state, in payloads of at most 200 ids", async () => {
    const engine = s.start([quick], { worker: false });
    await busReady(engine);
    const specs = Array.from({ length: 450 }, () => ({ kind: "t.quick", payload: {} }));
    const ids = (await engine.enqueueMany(specs)).map((e) => e.task.id);
    const heard = new Map<string, string[]>();
    for (const id of ids)
      engine.bus.onEvent(id, (e: TaskEvent) => {
        if (e.type === "state") heard.set(id, [...(heard.get(id) ?? []), e.state]);
      });
    const claimed = await claimTasks(s.db, "w1", ids.length, 60_000);
    expect(claimed).toHaveLength(ids.length);
    // the first outcome goes alone; the others wait for it and go together in one statement
    const retried = new Set(claimed.filter((_, i) => i % 3 === 0).map((task) => task.id));
    await Promise.all(
      claimed.map((task) =>
        retried.has(task.id)
          ? engine.transitions.fail(task, "again")
          : engine.transitions.succeed(task, null),
      ),
    );
    await expect
      .poll(() => [...heard.values()].filter((states) => states.length > 0).length, {
        timeout: 15_000,
      })
      .toBe(ids.length);
    for (const id of ids) expect(heard.get(id)).toEqual([retried.has(id) ? "queued" : "succeeded"]);
    const states = await s.db.db
      .selectFrom("tasks")
      .select("state")
      .where("id", "in", ids)
      .execute();
    expect(states.filter((r) => r.state === "succeeded")).toHaveLength(ids.length - retried.size);
  }, 60_000);
});
