// bench:apps run tiny so it cannot rot: two deploys each way on Podman; the --json line has
// the fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:apps", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/apps/run.ts", "--deploys", "2", "--json"],
      {
        timeout: 180_000,
      },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.deploys])).toEqual([
      ["steward", 2],
      ["floor", 2],
    ]);
    for (const r of results) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
  }, 200_000);
});
