// One statement of batched outcomes (engine/complete.ts) larger than a NOTIFY payload holds:
// its state events go out in several payloads (the ids of up to 200 tasks each, events.ts
// `states`), every task's heard once with its own state, on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { busReady, endAllAtOnce, engineSuite, kind } from "../testing/engine.ts";

describe.each(dialects())("a batch of outcomes on %s", (dialect) => {
  const s = engineSuite(dialect);
  const quick = kind("t.quick", async () => ({}), { maxAttempts: 3 });

  it("announces each task's state, in payloads of at most 200 ids", async () => {
    const engine = s.start([quick], { worker: false });
    await busReady(engine);
    const specs = Array.from({ length: 450 }, () => ({ kind: "t.quick", payload: {} }));
    const ids = (await engine.enqueueMany(specs)).map((e) => e.task.id);
    // the first outcome goes alone; the others wait for it and go together in one statement
    const { retried, heard } = await endAllAtOnce(s, engine, ids, (i) => i % 3 === 0);
    for (const id of ids) expect(heard.get(id)).toEqual([retried.has(id) ? "queued" : "succeeded"]);
    const states = await s.db.db
      .selectFrom("tasks")
      .select("state")
      .where("id", "in", ids)
      .execute();
    expect(states.filter((r) => r.state === "succeeded")).toHaveLength(ids.length - retried.size);
  }, 60_000);
});
