// Concurrency keys (at most N running tasks share a key, across workers) and spacing (tasks
// with the same gap key start at least G apart), on both dialects.
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { engineSuite, kind, pause } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";
import { WaitUntil } from "./types.ts";

describe.each(dialects())("concurrency keys and spacing on %s", (dialect) => {
  const s = engineSuite(dialect);

  it("never runs more than the limit of tasks sharing a concurrency key, across workers", async () => {
    const now = new Map<string, number>();
    const peak = new Map<string, number>();
    const site = kind(
      "t.site",
      async (ctx) => {
        const key = String(ctx.task.payload.site);
        const n = (now.get(key) ?? 0) + 1;
        now.set(key, n);
        peak.set(key, Math.max(peak.get(key) ?? 0, n));
        try {
          await pause(150, ctx.signal);
        } finally {
          now.set(key, (now.get(key) ?? 1) - 1);
        }
      },
      { concurrency: { key: (p: Record<string, unknown>) => String(p.site), limit: 2 } },
    );
    // two workers on the same database, each able to run 8 at once
    const a = s.start([site], { worker: false, concurrency: 8 });
    const b = s.start([site], { worker: false, concurrency: 8 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push((await a.enqueue({ kind: "t.site", payload: { site: "a" } })).task.id);
    for (let i = 0; i < 3; i++)
      ids.push((await a.enqueue({ kind: "t.site", payload: { site: "b" } })).task.id);
    const row = await s.row(ids[0] ?? "");
    expect(row).toMatchObject({ concurrency_key: "t.site:a", concurrency_limit: 2 });
    a.startWorker();
    b.startWorker();
    for (const id of ids) await s.waitFor(id, "succeeded");
    expect(peak.get("a")).toBe(2);
    expect(peak.get("b")).toBe(2);
  });

  it("hands a key's place to the next task as soon as one ends or waits, not at the next poll", async () => {
    // the worker claims while an outcome is being written, so that claim sees the place still
    // taken: the end (kept, deleted, retried or waiting) wakes the workers (complete.ts)
    let failed = false;
    let waited = false;
    const ran: string[] = [];
    const site = kind(
      "t.site",
      async (ctx) => {
        const step = String(ctx.task.payload.step);
        if (step === "fail" && !failed) {
          failed = true;
          throw new Error("once");
        }
        if (step === "wait" && !waited) {
          waited = true;
          throw new WaitUntil("later", Date.now() + 600_000);
        }
        ran.push(step);
      },
      {
        concurrency: { key: () => "one", limit: 1 },
        backoff: { baseMs: 600_000, maxMs: 600_000 },
      },
    );
    const engine = s.start([site], { worker: false, pollMs: 600_000 });
    const steps = ["keep", "delete", "fail", "wait", "keep", "delete", "last"];
    const ids: string[] = [];
    for (const [i, step] of steps.entries())
      ids.push(
        (
          await engine.enqueue({
            kind: "t.site",
            payload: { step },
            runAt: Date.now() - 1_000 + i,
            onSuccess: step === "delete" ? "delete" : "disable",
          })
        ).task.id,
      );
    engine.startWorker();
    await s.waitFor(ids.at(-1) ?? "", "succeeded");
    // the failed one waits for its retry and the waiting one for its time; the others all ran
    expect(ran).toEqual(["keep", "delete", "keep", "delete", "last"]);
  });

  it("starts tasks sharing a gap key at least G apart, others without waiting", async () => {
    const upgrade = kind("t.upgrade", async () => {}, {
      gap: { key: (p: Record<string, unknown>) => String(p.node), seconds: 0.4 },
    });
    const engine = s.start([upgrade], { worker: false, concurrency: 8 });
    const spaced: string[] = [];
    for (let i = 0; i < 3; i++)
      spaced.push((await engine.enqueue({ kind: "t.upgrade", payload: { node: "n1" } })).task.id);
    const other = (await engine.enqueue({ kind: "t.upgrade", payload: { node: "n2" } })).task.id;
    engine.startWorker();
    const rows = [];
    for (const id of spaced) rows.push(await s.waitFor(id, "succeeded"));
    const starts = rows.map((r) => r.started_at ?? 0).sort((x, y) => x - y);
    expect(rows[0]?.gap_ms).toBe(400);
    for (let i = 1; i < starts.length; i++)
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(400);
    const n2 = await s.waitFor(other, "succeeded");
    // the other node's task is not held back by n1's spacing
    expect(n2.started_at ?? Infinity).toBeLessThan(starts[2] ?? 0);
    const mark = await s.db.db
      .selectFrom("task_gaps")
      .selectAll()
      .where("gap_key", "=", "t.upgrade:n1")
      .executeTakeFirst();
    expect(mark?.last_started_at).toBe(starts[2]);
  });

  it("claims a limited task through the transaction; a claim with nothing runnable takes nothing", async () => {
    const site = kind("t.site", async () => {}, {
      concurrency: { key: (p: Record<string, unknown>) => String(p.site), limit: 1 },
    });
    const engine = s.start([site], { worker: false });
    const claimFirst = async () =>
      (
        await sql<{ id: string; state: string }>`
          select id, state from steward_claim_first('w', 10, ${Date.now()}, 60000)`.execute(s.db.db)
      ).rows;
    if (dialect === "postgres") expect(await claimFirst()).toEqual([]); // nothing runnable
    const { task } = await engine.enqueue({ kind: "t.site", payload: { site: "a" } });
    // the one-statement claim leaves a limited task to the transaction: it says so by
    // returning the candidate still queued, and takes nothing
    if (dialect === "postgres")
      expect(await claimFirst()).toEqual([{ id: task.id, state: "queued" }]);
    const [claimed] = await claimTasks(s.db, "test-host:1:limits", 10, 60_000);
    expect(claimed).toMatchObject({ id: task.id, state: "running", attempts: 1 });
    expect(await claimTasks(s.db, "test-host:1:limits", 10, 60_000)).toEqual([]);
  });
});
