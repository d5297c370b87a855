// Successes of run-once `onSuccess: "delete"` tasks go in the batched outcome statement
// (engine/complete.ts) beside kept successes and retries: each row deleted only while its
// worker holds it, each task's `succeeded` event heard once, dependants woken. On both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { busReady, endAllAtOnce, engineSuite, kind } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";
import type { TaskEvent } from "./events.ts";

describe.each(dialects())("batched deletes on %s", (dialect) => {
  const s = engineSuite(dialect);
  const quick = kind("t.quick", async () => ({}), { maxAttempts: 3 });

  /** the state events heard for each of `ids` */
  function listen(engine: ReturnType<typeof s.start>, ids: string[]) {
    const heard = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const id of ids)
      engine.bus.onEvent(id, (e: TaskEvent) => {
        if (e.type === "state") heard.get(id)?.push(e.state);
      });
    return heard;
  }

  it("deletes beside kept successes and retries, each task's event heard once", async () => {
    const engine = s.start([quick], { worker: false });
    await busReady(engine);
    const specs = Array.from({ length: 300 }, (_, i) => ({
      kind: "t.quick",
      payload: {},
      onSuccess: i % 3 === 0 ? ("disable" as const) : ("delete" as const),
    }));
    const ids = (await engine.enqueueMany(specs)).map((e) => e.task.id);
    // every fifth fails and is retried; the others succeed, kept (a third) or deleted
    const { claimed, retried, heard } = await endAllAtOnce(s, engine, ids, (i) => i % 5 === 0);
    const rows = await s.db.db
      .selectFrom("tasks")
      .select(["id", "state", "on_success"])
      .where("id", "in", ids)
      .execute();
    const left = new Map(rows.map((r) => [r.id, r]));
    for (const task of claimed) {
      const row = left.get(task.id);
      if (retried.has(task.id)) expect(row?.state).toBe("queued");
      else if (task.on_success === "delete") expect(row).toBeUndefined();
      else expect(row?.state).toBe("succeeded");
      expect(heard.get(task.id)).toEqual([retried.has(task.id) ? "queued" : "succeeded"]);
    }
    expect(rows.length).toBe(
      claimed.filter((t) => retried.has(t.id) || t.on_success !== "delete").length,
    );
  }, 60_000);

  it("keeps a task whose lease was lost, and says nothing of it", async () => {
    const engine = s.start([quick], { worker: false });
    await busReady(engine);
    const ids = (
      await engine.enqueueMany([
        { kind: "t.quick", payload: {}, onSuccess: "delete" },
        { kind: "t.quick", payload: {}, onSuccess: "delete" },
      ])
    ).map((e) => e.task.id);
    const heard = listen(engine, ids);
    const [lost, held] = await claimTasks(s.db, "w1", 2, 1);
    if (!lost || !held) throw new Error("both tasks should be claimed");
    // the lease of `lost` expires and the reaper puts it back; `held` is still w1's
    await s.db.db
      .updateTable("tasks")
      .set({ lease_until: Date.now() + 60_000 })
      .where("id", "=", held.id)
      .execute();
    await new Promise((r) => setTimeout(r, 20));
    expect(await engine.transitions.reapExpired()).toBe(1);
    await expect.poll(() => heard.get(lost.id), { timeout: 10_000 }).toEqual(["queued"]);
    // the late worker's successes go in one batch: only the task it still holds is deleted
    await Promise.all([
      engine.transitions.succeed(lost, null),
      engine.transitions.succeed(held, null),
    ]);
    await expect.poll(() => heard.get(held.id), { timeout: 10_000 }).toEqual(["succeeded"]);
    expect(await s.row(held.id)).toBeUndefined();
    expect(await s.row(lost.id)).toMatchObject({ state: "queued", lease_owner: null, attempts: 1 });
    expect(heard.get(lost.id)).toEqual(["queued"]);
  });

  it("wakes a dependant once its deleted prerequisites succeeded", async () => {
    // no polling: only the batch's wake-up starts the dependant
    const engine = s.start([kind("t.step", async () => {})], { pollMs: 600_000 });
    const { b } = await s.db.db.transaction().execute(async (trx) => {
      const prereqs = await engine.enqueueMany(
        [1, 2, 3].map(() => ({ kind: "t.step", payload: {}, onSuccess: "delete" as const })),
        trx,
      );
      const dependsOn = prereqs.map((p) => p.task.id);
      const b = (await engine.enqueue({ kind: "t.step", payload: {}, dependsOn }, trx)).task;
      return { b, dependsOn };
    });
    await s.waitFor(b.id, "succeeded");
    const left = await s.db.db
      .selectFrom("tasks")
      .select("id")
      .where("kind", "=", "t.step")
      .execute();
    expect(left.map((r) => r.id)).toEqual([b.id]);
  });
});
