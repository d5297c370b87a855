// The RDAP probe against a strict local fake: a bootstrap (dns.json) naming the fake as the
// server of .test, and domains answered only to `GET /rdap/domain/<name>` with `Accept:
// application/rdap+json` (406 otherwise); every request is recorded.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { rdapMonitor } from "@steward/contracts/monitors";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeRdap } from "./rdap.ts";

const DAY = 86_400_000;
const policy = { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] };
const requests: { path: string; accept: string | undefined }[] = [];
let server: Server;
let base: string;

const expiring = (days: number) => ({
  objectClassName: "domain",
  events: [
    { eventAction: "registration", eventDate: "2001-01-01T00:00:00Z" },
    { eventAction: "expiration", eventDate: new Date(Date.now() + days * DAY).toISOString() },
  ],
});
const DOMAINS: Record<string, unknown> = {
  "fine.test": expiring(400),
  "soon.test": expiring(10),
  "gone.test": expiring(-3),
  "silent.test": { objectClassName: "domain", events: [] },
};

function answer(req: IncomingMessage, res: import("node:http").ServerResponse) {
  const path = req.url ?? "";
  requests.push({ path, accept: req.headers.accept });
  const send = (status: number, body: unknown, type = "application/rdap+json") => {
    res.writeHead(status, { "content-type": type });
    res.end(JSON.stringify(body));
  };
  if (req.method !== "GET") return send(405, {});
  if (path === "/bootstrap/dns.json")
    return send(
      200,
      { version: "1.0", services: [[["test", "example"], [`${base}/rdap/`]]] },
      "application/json",
    );
  const m = /^\/rdap\/domain\/([a-z0-9.-]+)$/.exec(path);
  if (!m) return send(400, { errorCode: 400, title: "bad path" });
  if (req.headers.accept !== "application/rdap+json") return send(406, { errorCode: 406 });
  const found = DOMAINS[m[1] ?? ""];
  return found ? send(200, found) : send(404, { errorCode: 404 });
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const check = (domain: string, extra: Record<string, unknown> = {}, now?: () => number) =>
  probeRdap(rdapMonitor.parse({ kind: "rdap", domain, ...extra }), 2000, {
    policy,
    rdapBootstrap: `${base}/bootstrap/dns.json`,
    ...(now ? { now } : {}),
  });

describe("RDAP probe", () => {
  it("reads the expiration event: up, degraded within warnDays, down once expired", async () => {
    const fine = await check("fine.test");
    expect(fine.outcome).toBe("up");
    expect(fine.message).toMatch(/^fine\.test expires on \d{4}-\d\d-\d\d, in 399 day\(s\)$/);
    const soon = await check("soon.test", { warnDays: 30 });
    expect(soon.outcome).toBe("degraded");
    expect(soon.message).toMatch(/in 9 day\(s\)$/);
    expect((await check("soon.test", { warnDays: 5 })).outcome).toBe("up");
    const gone = await check("Gone.Test.");
    expect(gone.outcome).toBe("down");
    expect(gone.message).toMatch(/^gone\.test expired on /);
    expect(await check("silent.test")).toMatchObject({
      outcome: "up",
      message: "silent.test is registered; no expiry given",
    });
    expect((await check("nobody.test")).message).toBe(
      "nobody.test is not registered (RDAP answered 404)",
    );
  });

  it("asks GET <base>domain/<name> with Accept application/rdap+json, the bootstrap once a day", async () => {
    requests.length = 0;
    await check("fine.test");
    await check("soon.test");
    expect(requests).toEqual([
      { path: "/rdap/domain/fine.test", accept: "application/rdap+json" },
      { path: "/rdap/domain/soon.test", accept: "application/rdap+json" },
    ]);
    requests.length = 0;
    await check("fine.test", {}, () => Date.now() + DAY + 1000);
    expect(requests.map((r) => r.path)).toEqual(["/bootstrap/dns.json", "/rdap/domain/fine.test"]);
  });

  it("is down for a domain no server is known for, and under a policy refusing the server", async () => {
    expect((await check("example.org")).message).toBe(
      "no RDAP server is known for example.org (IANA bootstrap)",
    );
    const strict = await probeRdap(rdapMonitor.parse({ kind: "rdap", domain: "fine.test" }), 1000, {
      policy: DEFAULT_POLICY,
      rdapBootstrap: `${base}/bootstrap/dns.json?strict`,
    });
    expect(strict.outcome).toBe("down");
    expect(strict.message).toBe(
      "rdap bootstrap: 127.0.0.1 is a loopback address, which this panel does not allow",
    );
  });
});
