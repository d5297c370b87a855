// The SSE writer on a real socket: events, heartbeat comments while idle, cleanup when the
// client goes away, and streams ended when the app shuts down.
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSse } from "../testing/sse-client.ts";
import { registerSecurityHeaders } from "./plugins/security-headers.ts";
import { type Sse, sseHub } from "./sse.ts";

describe("server-sent events", () => {
  let app: FastifyInstance;
  let url = "";
  const open: Sse[] = [];
  let cleaned = 0;
  beforeAll(async () => {
    app = Fastify();
    // the security headers are set as this (http/plugins/security-headers.ts)
    registerSecurityHeaders(app);
    const hub = sseHub(app, 30);
    app.get("/stream", async (request, reply) => {
      const sse = hub.open(request, reply);
      sse.onClose(() => cleaned++);
      sse.send("hello", { n: 1 }, "id-1");
      open.push(sse);
      return reply;
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/stream`;
  });
  afterAll(() => app?.close());

  it("sends events, heartbeats while idle, and ends when the server closes", async () => {
    const stream = await readSse(url, "k");
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.headers.get("cache-control")).toContain("no-cache");
    // what the hooks set reaches the stream's head, as any answer's
    expect(stream.headers.get("x-content-type-options")).toBe("nosniff");
    expect(stream.headers.get("content-security-policy")).toContain("script-src 'self'");
    await expect
      .poll(() => stream.comments.filter((c) => c === "heartbeat").length >= 3)
      .toBe(true);
    expect(stream.events.map((e) => [e.event, e.id, e.data])).toEqual([
      ["hello", "id-1", { n: 1 }],
    ]);
    open.shift()?.close();
    await stream.ended;
    expect(cleaned).toBe(1);
  });

  it("cleans up once when the client goes away", async () => {
    const before = cleaned;
    const stream = await readSse(url, "k");
    await expect.poll(() => stream.events.length).toBe(1);
    stream.close();
    await expect.poll(() => cleaned).toBe(before + 1);
    const sse = open.shift();
    expect(sse?.closed).toBe(true);
    sse?.close();
    expect(cleaned).toBe(before + 1);
  });

  it("ends open streams when the app closes", async () => {
    const stream = await readSse(url, "k");
    await expect.poll(() => stream.events.length).toBe(1);
    await app.close();
    await stream.ended;
    expect(open.at(-1)?.closed).toBe(true);
  });
});
