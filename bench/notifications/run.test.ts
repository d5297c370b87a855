// bench:notifications run tiny so it cannot rot: 20 events on SQLite, all delivered, in
// order on the per-event rule, one digest per node on the grouping rule.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("bench:notifications", () => {
  it("delivers a tiny burst in order and grouped, and prints --json", async () => {
    const args = ["bench/notifications/run.ts", "--events", "20", "--db", "sqlite", "--json"];
    const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
    const { results } = JSON.parse(stdout) as { results: Record<string, unknown>[] };
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      system: "steward-sqlite",
      events: 20,
      allDelivered: true,
      inOrder: true,
      digests: 10,
    });
    expect(results[0]?.deliveriesPerSecond).toBeGreaterThan(0);
  }, 150_000);
});
