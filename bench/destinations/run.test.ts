// bench:destinations run tiny so it cannot rot: 2 MiB through every kind; the --json line has
// its fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:destinations", () => {
  it("prints the --json results of a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/destinations/run.ts", "--mib", "2", "--json"],
      { timeout: 180_000 },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.kind, r.mib])).toEqual([
      ["local", 2],
      ["s3", 2],
      ["sftp", 2],
      ["ftp", 2],
    ]);
    for (const r of results) {
      expect(r.putMBps).toBeGreaterThan(0);
      expect(r.getMBps).toBeGreaterThan(0);
    }
  }, 200_000);
});
