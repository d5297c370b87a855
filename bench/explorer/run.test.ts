// bench:explorer run tiny so it cannot rot: 12 artifacts in pages of 5 through a directory and
// s3rver; the --json line has its fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:explorer", () => {
  it("prints the --json results of a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/explorer/run.ts", "--objects", "12", "--page", "5", "--json"],
      { timeout: 120_000 },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.kind, r.objects, r.pages])).toEqual([
      ["local", 12, 3],
      ["s3", 12, 3],
    ]);
    for (const r of results) expect(r.msPerPage).toBeGreaterThan(0);
  }, 150_000);
});
