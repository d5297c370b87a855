// bench:databases run tiny so it cannot rot: two creates per engine through Steward's API and
// through the clients, the list, and a 2,000-row SQL console; the --json line has the issue's
// fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:databases", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const args = ["--creates", "2", "--rows", "2000", "--reads", "3", "--json"];
    const { stdout } = await run(process.execPath, ["bench/databases/run.ts", ...args], {
      timeout: 300_000,
    });
    const { results, list, sqlConsole } = JSON.parse(stdout) as {
      results: Result[];
      list: { databases: number; reads: number; p50Ms: number; p99Ms: number };
      sqlConsole: { rows: number; firstPageMs: number; peakRssMb: number };
    };
    expect(results.map((r) => [r.system, r.creates])).toEqual([
      ["steward-mariadb", 2],
      ["floor-mariadb", 2],
      ["steward-postgres", 2],
      ["floor-postgres", 2],
    ]);
    for (const r of [...results, list]) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
    expect(list).toMatchObject({ databases: 4, reads: 3 });
    expect(sqlConsole.rows).toBe(2000);
    expect(sqlConsole.firstPageMs).toBeGreaterThan(0);
    expect(sqlConsole.peakRssMb).toBeGreaterThan(0);
  }, 320_000);
});
