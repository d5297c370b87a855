// The panel's outbound HTTP request against real local servers: redirects (followed only with
// the method kept, re-checked, credentials dropped across origins, at most three), the answer
// size cap and the deadline. The policy allows 127.0.0.1 alone, as a test installation would.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { issueIdentity, makeCa } from "@steward/agent/testing";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type OutboundCall, outboundRequest } from "./outbound-http.ts";

const seen: IncomingMessage[] = [];
const servers: Server[] = [];
const options = { policy: { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] }, who: "this panel" };
let a = "";
let b = "";

async function serve(
  handle: (req: IncomingMessage, res: import("node:http").ServerResponse) => void,
) {
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on("end", () => handle(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  b = await serve((_req, res) => res.end("from b"));
  a = await serve((req, res) => {
    const url = new URL(req.url ?? "/", "http://a");
    const hops = Number(url.searchParams.get("hops") ?? 0);
    if (url.pathname === "/big") return res.end("x".repeat(200_000));
    if (url.pathname === "/silent") return; // never answers
    if (url.pathname === "/moved") return res.writeHead(302, { location: `${b}/` }).end();
    if (url.pathname === "/loop")
      return res.writeHead(307, { location: `/loop?hops=${hops + 1}` }).end();
    if (url.pathname === "/cross") return res.writeHead(308, { location: `${b}/landed` }).end();
    res.end(`hops ${hops}`);
  });
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

const call = (url: string): OutboundCall => ({
  field: "url",
  method: "POST",
  url,
  headers: { authorization: "Bearer t0ken", "x-other": "kept" },
  body: "{}",
});

it("follows a 307/308 with the method kept, dropping credentials on another origin", async () => {
  const answer = await outboundRequest(call(`${a}/cross`), options);
  expect(answer).toMatchObject({ status: 200, body: "from b" });
  const landed = seen.at(-1);
  expect([
    landed?.method,
    landed?.url,
    landed?.headers.authorization,
    landed?.headers["x-other"],
  ]).toEqual(["POST", "/landed", undefined, "kept"]);
});

it("does not follow other redirects, and stops after three", async () => {
  expect((await outboundRequest(call(`${a}/moved`), options)).status).toBe(302);
  await expect(outboundRequest(call(`${a}/loop`), options)).rejects.toThrow(
    "url: more than 3 redirects",
  );
});

it("follows every redirect when asked (a 302 becomes a GET without a body), or none", async () => {
  const answer = await outboundRequest({ ...call(`${a}/moved`), redirects: "all" }, options);
  expect([answer.status, answer.body, seen.at(-1)?.method]).toEqual([200, "from b", "GET"]);
  const kept = await outboundRequest({ ...call(`${a}/cross`), redirects: "none" }, options);
  expect([kept.status, kept.headers.location]).toEqual([308, `${b}/landed`]);
});

it("reads an answer up to the size cap", async () => {
  const answer = await outboundRequest(call(`${a}/big`), { ...options, maxBytes: 1000 });
  expect([answer.status, answer.body.length, answer.truncated]).toEqual([200, 1000, true]);
});

it("gives up at the deadline", async () => {
  await expect(
    outboundRequest(call(`${a}/silent`), { ...options, timeoutMs: 200 }),
  ).rejects.toThrow("no answer within 200 ms");
});

it("speaks TLS to the checked address, presenting and verifying the name", async () => {
  const authority = await makeCa();
  const identity = await issueIdentity(authority, "hooks", "server-and-client", [
    "hooks.example.test",
  ]);
  const names: (string | false | null)[] = [];
  const server = createHttpsServer({ key: identity.key, cert: identity.cert }, (req, res) => {
    names.push((req.socket as TLSSocket).servername);
    res.end("secure");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const resolve = async (host: string) => (host.endsWith(".example.test") ? ["127.0.0.1"] : null);
  const tls = { ...options, ca: authority.ca, resolve };
  const answer = await outboundRequest(call(`https://hooks.example.test:${port}/`), tls);
  expect([answer.status, answer.body, names]).toEqual([200, "secure", ["hooks.example.test"]]);
  await expect(outboundRequest(call(`https://other.example.test:${port}/`), tls)).rejects.toThrow(
    "is not in the cert's altnames",
  );
});
