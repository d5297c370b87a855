// bench:fleet run tiny so it cannot rot: 24 sites on 3 hosts, 50 ms answers, 2 per host: every
// site refreshed, never more than 2 requests at once on one host, and --json printed.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("bench:fleet", () => {
  it("refreshes a tiny fleet within the per-host limit and prints --json", async () => {
    const args = [
      "bench/fleet/run.ts",
      "--sites",
      "24",
      "--hosts",
      "3",
      "--latency",
      "50",
      "--per-host",
      "2",
      "--json",
    ];
    const { stdout } = await run(process.execPath, args, { timeout: 120_000 });
    const { results } = JSON.parse(stdout) as { results: Record<string, unknown>[] };
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      system: "steward",
      sites: 24,
      latencyMs: 50,
      refreshed: 24,
      maxPerHost: 2,
    });
    expect(results[0]?.totalSeconds).toBeGreaterThan(0);
    expect(results[0]?.cpuPercent).toBeGreaterThan(0);
  }, 150_000);
});
