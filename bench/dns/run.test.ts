// bench:dns run tiny so it cannot rot: a zone of 50 records and the 3rd zone of a node, two
// changes each, on PowerDNS and BIND; the --json line has the fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);

describe("bench:dns", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const args = ["--records", "50", "--zones", "3", "--changes", "2", "--json"];
    const { stdout } = await run(process.execPath, ["bench/dns/run.ts", ...args], {
      timeout: 180_000,
    });
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.records, r.zones])).toEqual([
      ["powerdns", 50, 1],
      ["powerdns", 2, 3],
      ["bind", 50, 1],
      ["bind", 2, 3],
    ]);
    for (const r of results) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
  }, 200_000);
});
