// bench:gitdeploy run tiny so it cannot rot: two builds each way on Podman from a git server
// over HTTPS; the --json line has the fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:gitdeploy", () => {
  it("prints --json for a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/gitdeploy/run.ts", "--builds", "2", "--json"],
      { timeout: 180_000 },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.builds])).toEqual([
      ["steward", 2],
      ["floor", 2],
    ]);
    for (const r of results) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
  }, 200_000);
});
