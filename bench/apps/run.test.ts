// bench:apps run tiny so it cannot rot: two deploys each way on Podman, then three apps on the
// node and a 3 s window; the --json line has the fields.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { DeployRow, EndpointRow, ProcessRow, Result } from "./result.ts";

const run = promisify(execFile);

describe("bench:apps", () => {
  it("prints the issue's --json for a tiny run", async () => {
    const args = ["--deploys", "2", "--containers", "3", "--seconds", "3", "--json"];
    const { stdout } = await run(process.execPath, ["bench/apps/run.ts", ...args], {
      timeout: 240_000,
    });
    const { results } = JSON.parse(stdout) as { results: Result[] };
    const deploys = results.filter((r): r is DeployRow => "deploys" in r);
    expect(deploys.map((r) => [r.system, r.deploys])).toEqual([
      ["steward", 2],
      ["steward-agent", 2],
      ["floor", 2],
    ]);
    for (const r of deploys) {
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
    const endpoints = results.filter((r): r is EndpointRow => "endpoint" in r);
    expect(endpoints.map((r) => r.endpoint)).toEqual([
      "GET /api/v1/apps",
      "GET /api/v1/apps/{id}/stats",
      "GET /api/v1/nodes/{id}/containers",
      "GET /api/v1/nodes/{id}/disk-usage",
    ]);
    for (const r of endpoints) {
      expect(r).toMatchObject({ system: "steward", containers: 3 });
      expect(r.requests).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
    const processes = results.filter((r): r is ProcessRow => "metric" in r);
    expect(processes.map((r) => r.metric)).toEqual(["agent", "panel"]);
    for (const r of processes) {
      expect(r.rssMb).toBeGreaterThan(10);
      expect(r.cpuPercent).toBeGreaterThanOrEqual(0);
    }
  }, 260_000);
});
