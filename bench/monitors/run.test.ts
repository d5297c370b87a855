// bench:monitors run tiny so it cannot rot: 20 monitors, Steward on SQLite and the blackbox
// exporter, a 5 s window; the --json line has the fields and both systems checked.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { keptUp } from "./kuma.ts";
import type { Result } from "./result.ts";

const run = promisify(execFile);

describe("bench:monitors", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const args = ["--monitors", "20", "--interval", "20", "--warmup", "0", "--seconds", "5"];
    const only = ["--only", "steward-sqlite,blackbox-exporter", "--json"];
    const { stdout } = await run(process.execPath, ["bench/monitors/run.ts", ...args, ...only], {
      timeout: 180_000,
    });
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => r.system)).toEqual(["steward-sqlite", "blackbox-exporter"]);
    for (const r of results) {
      expect(r).toMatchObject({ monitors: 20 });
      expect(r.checksPerMinute).toBeGreaterThan(0);
      expect(r.cpuPercent).toBeTypeOf("number");
      expect(r.rssMb).toBeGreaterThan(0);
    }
    expect(results[0]?.pageP99Ms).toBeGreaterThan(0);
    expect(results[1]?.pageP99Ms).toBeNull();
  }, 200_000);

  it("says Uptime Kuma keeps up while it makes 95% of the checks due, less than an interval late", () => {
    const size = (checksPerMinute: number, p99JitterMs: number | null): Result => ({
      system: "uptime-kuma",
      monitors: 1000,
      checksPerMinute,
      p99JitterMs,
      cpuPercent: 10,
      rssMb: 100,
      pageP99Ms: null,
    });
    expect(keptUp(size(975, 1_500), 60)).toBe(true);
    expect(keptUp(size(949, 1_500), 60)).toBe(false);
    expect(keptUp(size(990, 61_000), 60)).toBe(false);
    expect(keptUp(size(990, null), 60)).toBe(false);
  });
});
