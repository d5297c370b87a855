// Twins on enqueue: `bringForward` reuses a queued task of the same kind and target (due now,
// attempts renewed) instead of adding a second one; a running one is not reused. On both dialects.
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { engineSuite, kind } from "../testing/engine.ts";
import { claimTasks } from "./claim.ts";

describe.each(dialects())("bringing a waiting twin forward on %s", (dialect) => {
  const s = engineSuite(dialect);
  const apply = kind("t.apply", async () => {});
  const spec = (id: string) => ({
    kind: "t.apply",
    payload: { id },
    target: { type: "site", id },
    bringForward: true,
  });

  it("reuses a queued task of the same kind and target, due now, instead of a second one", async () => {
    const engine = s.start([apply], { worker: false });
    const later = Date.now() + 3_600_000;
    const first = await engine.enqueue({ ...spec("a"), runAt: later });
    expect(first.created).toBe(true);
    const before = Date.now();
    const again = await engine.enqueue(spec("a"));
    expect(again).toMatchObject({ created: false, task: { id: first.task.id, attempts: 0 } });
    const row = await s.row(first.task.id);
    expect(Number(row?.run_at)).toBeGreaterThanOrEqual(before);
    expect(Number(row?.run_at)).toBeLessThan(later);
    const other = await engine.enqueue(spec("b"));
    expect(other.created).toBe(true);
    const plain = await engine.enqueue({ ...spec("a"), bringForward: false });
    expect(plain.created).toBe(true);
  });

  it("adds a new task while its twin is running: that run applies what it read", async () => {
    const engine = s.start([apply], { worker: false });
    const first = await engine.enqueue(spec("a"));
    const [claimed] = await claimTasks(s.db, "test-host:1:twins", 1, 60_000);
    expect(claimed?.id).toBe(first.task.id);
    const next = await engine.enqueue(spec("a"));
    expect(next.created).toBe(true);
    expect(next.task.id).not.toBe(first.task.id);
  });
});
