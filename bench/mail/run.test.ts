// bench:mail run tiny so it cannot rot: 3 mailboxes each way (Steward's through the panel and
// an agent process) and a burst of 20 messages; the --json line has the fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { Result } from "./run.ts";

const run = promisify(execFile);
const root = process.getuid?.() === 0;

describe.skipIf(!root && !process.env.STEWARD_REQUIRE_SYSTEM)("bench:mail", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const { stdout } = await run(
      process.execPath,
      ["bench/mail/run.ts", "--mailboxes", "3", "--burst", "20", "--json"],
      { timeout: 240_000 },
    );
    const { results } = JSON.parse(stdout) as { results: Result[] };
    expect(results.map((r) => [r.system, r.mailboxes])).toEqual([
      ["steward", 3],
      ["floor", 3],
    ]);
    for (const r of results) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
      expect(r.mapRebuildMs).toBeGreaterThanOrEqual(0);
      expect(r.burstMessages).toBe(20);
      expect(r.burstMsgsPerSec).toBeGreaterThan(0);
      // every create was answered by an apply (Steward's: mail.apply tasks; the floor's: reloads)
      expect(r.applies).toBeGreaterThanOrEqual(1);
      expect(r.applies).toBeLessThanOrEqual(3);
      expect(r.totalS).toBeGreaterThan(0);
    }
  }, 270_000);
});
