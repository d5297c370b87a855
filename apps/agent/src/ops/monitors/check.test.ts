// monitor.check on the node's side: the shared probes under the node's outbound policy plus
// what only the agent knows (its own port, the panel it was enrolled with), against a real
// local HTTP server: an allowed target is checked (and told the location), a target the
// policy refuses, or the agent itself, is a "down" result saying why, never an error.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentConfig } from "../../config.ts";
import { runChecks } from "./check.ts";

let headers: IncomingHttpHeaders = {};
const target = createServer((req, res) => {
  headers = req.headers;
  res.writeHead(200).end("ok");
});
await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
const port = (target.address() as AddressInfo).port;
afterAll(() => new Promise((resolve) => target.close(resolve)));

const config = {
  listen: { host: "127.0.0.1", port: 7443 },
  panelUrl: "https://127.0.0.9:9443",
  resolver: { servers: [] },
} as unknown as AgentConfig;
const LOOPBACK = { allowPrivate: false, allow: ["127.0.0.0/8"], deny: [], endpoints: [] };
const http = (url: string) => ({ kind: "http" as const, url });
const check = (id: string, url: string) => ({
  id,
  settings: {
    ...http(url),
    method: "GET" as const,
    expectedStatuses: ["200-299"],
    followRedirects: true,
    headers: {},
  },
  timeoutMs: 2000,
  allowPrivate: false,
});

describe("monitor.check on the node", () => {
  it("checks each target under the node's policy and the agent's own endpoints", async () => {
    const results = await runChecks(config, {
      outbound: LOOPBACK,
      location: "node_a",
      checks: [
        check("allowed", `http://127.0.0.1:${port}/`),
        check("agent", "http://127.0.0.1:7443/"),
        check("panel", "https://127.0.0.9:9443/"),
      ],
    });
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ["allowed", "up"],
      ["agent", "down"],
      ["panel", "down"],
    ]);
    expect(headers["x-steward-location"]).toBe("node_a");
    expect(results[1]?.message).toMatch(/the agent/);
    expect(results[2]?.message).toMatch(/the panel/);
  });

  it("refuses what the node's policy does not allow, saying whose policy it is", async () => {
    const [result] = await runChecks(config, {
      outbound: { ...LOOPBACK, allow: [] },
      location: "node_a",
      checks: [check("loopback", `http://127.0.0.1:${port}/`)],
    });
    expect(result).toMatchObject({ id: "loopback", outcome: "down" });
    expect(result?.message).toMatch(/loopback address, which this node does not allow/);
  });
});
