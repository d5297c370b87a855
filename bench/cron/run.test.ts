// bench:cron run tiny so it cannot rot: one job, two runs now; the --json line has its fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe.skipIf(process.getuid?.() !== 0)("bench:cron", () => {
  it("prints its --json for a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/cron/run.ts", "--jobs", "1", "--runs", "2", "--json"],
      { timeout: 60_000 },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.jobs])).toEqual([
      ["steward", 1],
      ["floor", 1],
    ]);
    for (const r of results) expect(r.runMs).toBeGreaterThan(0);
    expect(results[0]?.rerunMs).toBeGreaterThan(0);
  }, 90_000);
});
