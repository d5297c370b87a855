// Prerequisites (wait for success; a failure fails the dependants with its reason,
// transitively) and director tasks fanning out children, on both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, gate, kind, pause } from "../testing/engine.ts";

describe.each(dialects())("prerequisites and directors on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("runs a task only after its prerequisite succeeded", async () => {
    const release = gate();
    const order: string[] = [];
    const engine = s.start([
      kind("t.backup", async () => {
        await release.opened;
        order.push("backup");
      }),
      kind("t.update", async () => void order.push("update")),
    ]);
    const a = (await engine.enqueue({ kind: "t.backup", payload: {} })).task;
    const b = (await engine.enqueue({ kind: "t.update", payload: {}, dependsOn: [a.id] })).task;
    await s.waitFor(a.id, "running");
    await pause(300);
    expect((await s.row(b.id))?.state).toBe("queued");
    release.open();
    const done = await s.waitFor(b.id, "succeeded");
    const backup = await s.row(a.id);
    expect(done.started_at ?? 0).toBeGreaterThanOrEqual(backup?.finished_at ?? Infinity);
    expect(order).toEqual(["backup", "update"]);
  });

  it("refuses a recurring task as a prerequisite: it never ends succeeded", async () => {
    const engine = s.start([
      kind("t.daily", async () => {}, { recurring: true }),
      kind("t.after", async () => {}),
    ]);
    const daily = (await engine.enqueue({ kind: "t.daily", payload: {}, expression: "@daily" }))
      .task;
    await expect(
      engine.enqueue({ kind: "t.after", payload: {}, dependsOn: [daily.id] }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: [{ field: "dependsOn" }],
    });
    expect(
      (await s.db.db.selectFrom("tasks").select("id").where("kind", "=", "t.after").execute())
        .length,
    ).toBe(0);
  });

  it("counts a prerequisite deleted on success as succeeded", async () => {
    // no polling: the dependant starts as soon as the prerequisite is done
    const engine = s.start([kind("t.step", async () => {})], { pollMs: 600_000 });
    // one transaction: the prerequisite cannot run (and vanish) before the dependant exists
    const { a, b } = await s.db.db.transaction().execute(async (trx) => {
      const a = (await engine.enqueue({ kind: "t.step", payload: {}, onSuccess: "delete" }, trx))
        .task;
      const b = (await engine.enqueue({ kind: "t.step", payload: {}, dependsOn: [a.id] }, trx))
        .task;
      return { a, b };
    });
    await s.waitFor(b.id, "succeeded");
    expect(await s.row(a.id)).toBeUndefined();
  });

  it("fails dependants with the prerequisite's reason, transitively", async () => {
    const ran: string[] = [];
    const engine = s.start([
      kind("t.backup", async () => {
        throw new Error("disk full on node n1");
      }),
      kind("t.update", async (ctx) => void ran.push(ctx.task.id)),
    ]);
    const a = (await engine.enqueue({ kind: "t.backup", payload: {}, runAt: Date.now() + 300 }))
      .task;
    const b = (await engine.enqueue({ kind: "t.update", payload: {}, dependsOn: [a.id] })).task;
    const c = (await engine.enqueue({ kind: "t.update", payload: {}, dependsOn: [b.id] })).task;
    await s.waitFor(a.id, "failed");
    const rb = await s.waitFor(b.id, "failed");
    const rc = await s.waitFor(c.id, "failed");
    for (const r of [rb, rc]) {
      expect(r.last_error).toContain("disk full on node n1");
      expect(r.last_error).toContain(a.id);
      expect(r).toMatchObject({ last_outcome: "failed", attempts: 0 });
    }
    expect(ran).toEqual([]);
  });

  it("fails a task enqueued after its prerequisite already failed", async () => {
    const ran: string[] = [];
    const engine = s.start([
      kind("t.backup", async () => {
        throw new Error("no space left");
      }),
      kind("t.update", async (ctx) => void ran.push(ctx.task.id)),
    ]);
    const a = (await engine.enqueue({ kind: "t.backup", payload: {} })).task;
    await s.waitFor(a.id, "failed");
    const b = (await engine.enqueue({ kind: "t.update", payload: {}, dependsOn: [a.id] })).task;
    const rb = await s.waitFor(b.id, "failed");
    expect(rb.last_error).toContain("no space left");
    expect(ran).toEqual([]);
  });

  it("rejects a prerequisite that does not exist, naming the field", async () => {
    const engine = s.start([kind("t.update", async () => {})], { worker: false });
    await expect(
      engine.enqueue({ kind: "t.update", payload: {}, dependsOn: ["task_nope"] }),
    ).rejects.toThrow(/^dependsOn: no task task_nope/);
  });

  it("lets a director fan out run-once children that record it as their parent", async () => {
    const ran: number[] = [];
    const engine = s.start([
      kind("t.director", async (ctx) => {
        const ids: string[] = [];
        for (let i = 0; i < 3; i++) {
          const child = await ctx.enqueue({ kind: "t.child", payload: { i } });
          ids.push(child.id);
        }
        return { children: ids };
      }),
      kind("t.child", async (ctx) => void ran.push(Number(ctx.task.payload.i))),
    ]);
    const { task } = await engine.enqueue({
      kind: "t.director",
      payload: {},
      accountId: "acct_test",
    });
    const director = await s.waitFor(task.id, "succeeded");
    const { children } = JSON.parse(director.result ?? "{}") as { children: string[] };
    expect(children).toHaveLength(3);
    for (const id of children) {
      const child = await s.waitFor(id, "succeeded");
      expect(child).toMatchObject({
        parent_id: task.id,
        account_id: "acct_test",
        expression: null,
        on_success: "disable",
        enabled: 0,
      });
    }
    expect(ran.sort()).toEqual([0, 1, 2]);
  });
});
