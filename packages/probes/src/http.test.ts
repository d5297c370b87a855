// The HTTP probe against a real local HTTP server: status, keyword, JSON value, slow answers
// (degraded), redirects followed or not, custom headers, and the policy: an account's
// monitor may not reach loopback (the production policy); the tests' policy allows
// 127.0.0.1 as an installation's allow list would.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { httpMonitor } from "@steward/contracts/monitors";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeHttp } from "./http.ts";

const deps = { policy: { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] } };
let server: Server;
let base = "";
const seen: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    const path = req.url ?? "/";
    if (path === "/ok") return res.end("all systems nominal");
    if (path === "/down") return res.writeHead(503).end("maintenance");
    if (path === "/json") return res.end(JSON.stringify({ status: "ok", items: [{ n: 3 }] }));
    if (path === "/slow") return void setTimeout(() => res.end("late"), 150);
    if (path === "/hang") return;
    if (path === "/moved") return res.writeHead(301, { location: "/ok" }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const check = (settings: Record<string, unknown>, timeoutMs = 2000) =>
  probeHttp(httpMonitor.parse({ kind: "http", ...settings }), timeoutMs, deps);

describe("HTTP probe", () => {
  it("is up on an expected status, down on another, naming both", async () => {
    expect(await check({ url: `${base}/ok` })).toMatchObject({
      outcome: "up",
      message: "answered 200",
    });
    const down = await check({ url: `${base}/down` });
    expect(down).toMatchObject({ outcome: "down", message: "answered 503, expected 200-299" });
    expect(down.responseMs).toBeTypeOf("number");
    expect(await check({ url: `${base}/down`, expectedStatuses: ["503"] })).toMatchObject({
      outcome: "up",
    });
  });

  it("looks for a keyword, present or absent", async () => {
    const url = `${base}/ok`;
    expect((await check({ url, keyword: { text: "nominal" } })).outcome).toBe("up");
    expect(await check({ url, keyword: { text: "error" } })).toMatchObject({
      outcome: "down",
      message: 'the answer does not contain "error"',
    });
    expect(await check({ url, keyword: { text: "nominal", mode: "absent" } })).toMatchObject({
      outcome: "down",
      message: 'the answer contains "nominal"',
    });
  });

  it("compares a JSON value", async () => {
    const url = `${base}/json`;
    expect((await check({ url, json: { path: "$.status", equals: "ok" } })).outcome).toBe("up");
    expect((await check({ url, json: { path: "$.items[0].n", equals: "3" } })).outcome).toBe("up");
    expect(await check({ url, json: { path: "$.status", equals: "fine" } })).toMatchObject({
      outcome: "down",
      message: '$.status is "ok", expected "fine"',
    });
    expect(await check({ url: `${base}/ok`, json: { path: "$.a", equals: "x" } })).toMatchObject({
      message: "the answer is not JSON",
    });
  });

  it("is degraded over the response time threshold, down past the timeout", async () => {
    const slow = await check({ url: `${base}/slow`, degradedAboveMs: 50 });
    expect(slow.outcome).toBe("degraded");
    expect(slow.message).toMatch(/^answered in \d+ ms, over 50 ms$/);
    expect(await check({ url: `${base}/hang` }, 200)).toMatchObject({
      outcome: "down",
      message: "no answer within 200 ms",
      responseMs: null,
    });
  });

  it("follows redirects unless told not to, and sends the custom headers", async () => {
    expect(await check({ url: `${base}/moved`, headers: { "X-Probe": "1" } })).toMatchObject({
      outcome: "up",
    });
    expect(seen.at(-1)?.headers["x-probe"]).toBe("1");
    expect(await check({ url: `${base}/moved`, followRedirects: false })).toMatchObject({
      outcome: "down",
      message: "answered 301, expected 200-299",
    });
  });

  it("refuses loopback, link-local and the panel under the production policy", async () => {
    const strict = { policy: DEFAULT_POLICY };
    const refused = (url: string) =>
      probeHttp(httpMonitor.parse({ kind: "http", url }), 1000, strict);
    expect((await refused(`${base}/ok`)).message).toBe(
      "url: 127.0.0.1 is a loopback address, which this panel does not allow",
    );
    expect((await refused("http://169.254.169.254/latest")).message).toContain(
      "a link-local address",
    );
    expect((await refused("http://localhost:9/")).message).toContain("a loopback address");
    const port = (server.address() as AddressInfo).port;
    const endpoints = [{ host: "127.0.0.1", port, what: "the panel" }];
    const panel = { policy: { ...deps.policy, endpoints } };
    const own = await probeHttp(
      httpMonitor.parse({ kind: "http", url: `${base}/ok` }),
      1000,
      panel,
    );
    expect(own.message).toContain("the panel's own address and port, which are never allowed");
  });
});
