import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce.ts";
import { payloads } from "./notify-batch.ts";

describe("coalesce", () => {
  it("carries calls made in one turn, and calls made during a flush, together", async () => {
    const flushes: number[][] = [];
    let release: () => void = () => {};
    const add = coalesce<number>(async (items) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = [add(1), add(2)];
    while (flushes.length === 0) await new Promise((r) => setImmediate(r));
    const second = [add(3), add(4), add(5)];
    release();
    await Promise.all([...first, ...second]);
    expect(flushes).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it("fails the callers of a failed flush only", async () => {
    let n = 0;
    const add = coalesce<string>(async () => {
      if (n++ === 0) throw new Error("database gone");
    });
    await expect(add("a")).rejects.toThrow("database gone");
    await expect(add("b")).resolves.toBeUndefined();
  });
});

describe("NOTIFY payloads", () => {
  it("are JSON arrays under 8,000 bytes, in order, never splitting an event", () => {
    const events = Array.from({ length: 500 }, (_, i) => ({
      taskId: `task_${i}`,
      note: "é".repeat(20),
    }));
    const out = payloads(events);
    expect(out.length).toBeGreaterThan(1);
    for (const p of out) expect(Buffer.byteLength(p)).toBeLessThan(8_000);
    expect(out.flatMap((p) => JSON.parse(p))).toEqual(events);
  });
});
