// bench:sysusers run tiny so it cannot rot: an account of one secondary user each way; the
// --json line has its fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe.skipIf(process.getuid?.() !== 0)("bench:sysusers", () => {
  it("prints its --json for a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/sysusers/run.ts", "--users", "1", "--json"],
      {
        timeout: 120_000,
      },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.users])).toEqual([
      ["steward", 1],
      ["floor", 1],
    ]);
    for (const r of results) expect(r.createMs).toBeGreaterThan(0);
    expect(results[0]?.rerunMs).toBeGreaterThan(0);
  }, 150_000);
});
