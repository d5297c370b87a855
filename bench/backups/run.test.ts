// bench:backups run tiny so it cannot rot: 3 MB in each engine, every system twice (--rounds 2)
// and each restore once, the --json line with the fields; the watch must see the
// temp-file run's two files.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:backups", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const args = ["--pg-gb", "0.003", "--mariadb-gb", "0.003", "--rounds", "2", "--json"];
    const { stdout } = await run(process.execPath, ["bench/backups/run.ts", ...args], {
      timeout: 600_000,
    });
    const { results } = JSON.parse(stdout) as { results: Result[] };
    const rows = ["postgres", "mariadb"].flatMap((engine) =>
      [
        ["steward", "backup", "local"],
        ["steward", "backup", "s3"],
        ["floor", "backup", "/dev/null"],
        ["tempfile", "backup", "local"],
        ["tempfile", "backup", "s3"],
        ["restic", "backup", "local"],
        ["steward", "restore", "database"],
        ["floor", "restore", "database"],
      ].map((row) => [...row, engine]),
    );
    expect(results.map((r) => [r.system, r.operation, r.destination, r.engine])).toEqual(rows);
    for (const r of results) {
      expect(r.bytes).toBeGreaterThan(1_000_000);
      if (r.note === "not installed") continue;
      expect(r.mbPerSecond).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThanOrEqual(0);
      expect(r.tempFiles).toBeGreaterThanOrEqual(0);
    }
    // backups: the median of two rounds between their min and max; restores: once
    for (const r of results) {
      if (r.note === "not installed") continue;
      if (r.operation === "restore") {
        expect(r.rounds).toBe(1);
        continue;
      }
      expect(r.rounds).toBe(2);
      expect(r.mbPerSecondMin).toBeLessThanOrEqual(r.mbPerSecond ?? 0);
      expect(r.mbPerSecondMax).toBeGreaterThanOrEqual(r.mbPerSecond ?? 0);
    }
    // the steward rows ran the agent's code in a Node process of their own
    for (const r of results.filter((r) => r.system === "steward")) {
      expect(r.peakRssMb).toBeGreaterThan(30);
      expect(r.cpuSecondsPerGb).toBeGreaterThan(0);
    }
    // dump to a file, compressed to a second: the watch sees both
    for (const r of results.filter((r) => r.system === "tempfile")) expect(r.tempFiles).toBe(2);
  }, 620_000);
});
