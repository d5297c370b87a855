// The monitors API on both dialects: create, read, list with filters, update, pause, resume,
// delete, audited; who may do what; targets refused at input by the outbound policy naming
// the field; heartbeats reporting in without sign-in; results walked by time; a check now
// against a real local server (the installation's allow list names 127.0.0.1, as a test
// installation's would).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { heartbeatHash } from "./heartbeat.ts";
import { findMonitor, insertResults } from "./repo.ts";
import { floorTo, HOUR, rollUp } from "./rollup.ts";

let target: Server;
let base = "";
beforeAll(async () => {
  target = createServer((req, res) => res.writeHead(req.url === "/ok" ? 200 : 500).end("hello"));
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => target.close(r)));

const http = (url: string) => ({ kind: "http", url });

describe.each(dialects())("monitors API on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);

  const create = (key: string, body: Record<string, unknown>) =>
    s.request("POST", "/api/v1/monitors", { key, body });
  const audit = (id: string) =>
    s.svc.db.db
      .selectFrom("audit_events")
      .select(["action", "account_id"])
      .where("target_id", "=", id)
      .orderBy("id")
      .execute();

  it("creates, reads, lists, updates and deletes a monitor, each change audited", async () => {
    const made = await create(w.keys.accountAdmin, {
      name: "shop",
      account: w.a,
      settings: http("https://shop.example.com/health"),
      intervalSeconds: 30,
      retries: 2,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      name: "shop",
      kind: "http",
      target: "https://shop.example.com/health",
      intervalSeconds: 30,
      timeoutSeconds: 10,
      retries: 2,
      paused: false,
      state: "pending",
      heartbeatToken: null,
    });
    const id = made.body.id;
    expect(
      (await s.request("GET", `/api/v1/monitors/${id}`, { key: w.keys.reader })).body.name,
    ).toBe("shop");
    for (const query of ["state=pending", "kind=http", `account=${w.a}`, "sort=name"]) {
      const listed = await s.request("GET", `/api/v1/monitors?${query}`, { key: w.keys.reader });
      expect(listed.body.items.map((m: { id: string }) => m.id)).toContain(id);
    }
    const none = await s.request("GET", "/api/v1/monitors?state=down", { key: w.keys.reader });
    expect(none.body.items.map((m: { id: string }) => m.id)).not.toContain(id);

    const changed = await s.request("PATCH", `/api/v1/monitors/${id}`, {
      key: w.keys.accountAdmin,
      body: { name: "shop front", timeoutSeconds: 5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: "shop front",
      timeoutSeconds: 5,
      intervalSeconds: 30,
    });
    const paused = await s.request("POST", `/api/v1/monitors/${id}/pause`, {
      key: w.keys.accountAdmin,
    });
    expect(paused.body).toMatchObject({ paused: true, nextCheckAt: null });
    const resumed = await s.request("POST", `/api/v1/monitors/${id}/resume`, {
      key: w.keys.accountAdmin,
    });
    expect(resumed.body.paused).toBe(false);
    expect(
      (await s.request("DELETE", `/api/v1/monitors/${id}`, { key: w.keys.accountAdmin })).status,
    ).toBe(204);
    expect((await s.request("GET", `/api/v1/monitors/${id}`, { key: w.keys.super })).status).toBe(
      404,
    );
    expect((await audit(id)).map((e) => [e.action, e.account_id])).toEqual(
      ["create", "update", "pause", "resume", "delete"].map((verb) => [`monitor.${verb}`, w.a]),
    );
  });

  it("refuses bad changes naming the field", async () => {
    const made = await create(w.keys.super, {
      name: "tcp",
      account: w.a,
      settings: { kind: "tcp", host: "example.com", port: 443 },
    });
    const patch = (body: unknown) =>
      s.request("PATCH", `/api/v1/monitors/${made.body.id}`, { key: w.keys.super, body });
    const kind = await patch({ settings: http("https://example.com/") });
    expect([kind.status, kind.body.error.details?.[0]?.field]).toEqual([400, "settings.kind"]);
    // the interval it has (60 s) against the timeout it asks for
    const timeout = await patch({ timeoutSeconds: 60 });
    expect([timeout.status, timeout.body.error.message]).toEqual([
      400,
      "timeoutSeconds: must be shorter than the interval",
    ]);
    const both = await patch({ intervalSeconds: 20, timeoutSeconds: 20 });
    expect([both.status, both.body.error.details?.[0]?.field]).toEqual([
      400,
      "body.timeoutSeconds",
    ]);
    const interval = await patch({ intervalSeconds: 10 });
    expect([interval.status, interval.body.error.details?.[0]?.field]).toEqual([
      400,
      "body.intervalSeconds",
    ]);
  });

  it("lets account admins manage their account's monitors, readers read, installation monitors super only", async () => {
    const mine = await create(w.keys.accountAdmin, {
      name: "a",
      account: w.a,
      settings: http("https://a.example.com/"),
    });
    const id = mine.body.id;
    expect(
      (
        await create(w.keys.reader, {
          name: "r",
          account: w.a,
          settings: http("https://a.example.com/"),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await s.request("PATCH", `/api/v1/monitors/${id}`, {
          key: w.keys.reader,
          body: { name: "x" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await s.request("GET", `/api/v1/monitors/${id}`, { key: w.keys.otherAdmin })).status,
    ).toBe(404);
    expect(
      (
        await create(w.keys.accountAdmin, {
          name: "b",
          account: w.b,
          settings: http("https://b.example.com/"),
        })
      ).status,
    ).toBe(403);

    const installation = {
      name: "lan",
      installation: true,
      settings: http("http://10.0.0.5/health"),
    };
    expect((await create(w.keys.accountAdmin, installation)).status).toBe(403);
    const lan = await create(w.keys.super, installation);
    expect([lan.status, lan.body.accountId]).toEqual([201, null]);
    expect(
      (await s.request("GET", `/api/v1/monitors/${lan.body.id}`, { key: w.keys.accountAdmin }))
        .status,
    ).toBe(404);
    const listed = await s.request("GET", "/api/v1/monitors?limit=200", {
      key: w.keys.accountAdmin,
    });
    expect(listed.body.items.map((m: { id: string }) => m.id)).toContain(id);
    expect(listed.body.items.map((m: { id: string }) => m.id)).not.toContain(lan.body.id);
  });

  it.each([
    ["http://127.0.0.1:8080/", "settings.url", "the panel's own address and port"],
    ["http://127.0.0.1:9/", "settings.url", "a loopback address"],
    ["http://localhost/", "settings.url", "a loopback address"],
    ["http://169.254.169.254/latest/meta-data", "settings.url", "a link-local address"],
    ["http://10.0.0.5/", "settings.url", "a private address"],
    ["http://[::1]/", "settings.url", "a loopback address"],
  ])("refuses a tenant's monitor of %s naming %s", async (url, field, why) => {
    const res = await create(w.keys.accountAdmin, { name: "x", account: w.a, settings: http(url) });
    expect(res.status).toBe(400);
    expect(res.body.error.details?.[0]?.field).toBe(field);
    expect(res.body.error.message).toContain(why);
  });

  it("refuses loopback resolvers and hosts, for the installation's monitors too", async () => {
    const dns = await create(w.keys.accountAdmin, {
      name: "dns",
      account: w.a,
      settings: { kind: "dns", name: "example.com", resolver: "127.0.0.1:53" },
    });
    expect([dns.status, dns.body.error.details?.[0]?.field]).toEqual([400, "settings.resolver"]);
    const tcp = await create(w.keys.super, {
      name: "tcp",
      installation: true,
      settings: { kind: "tcp", host: "127.0.0.1", port: 22 },
    });
    expect([tcp.status, tcp.body.error.details?.[0]?.field]).toEqual([400, "settings.host"]);
  });

  it("takes a heartbeat's report without sign-in; its token is said once and stored hashed", async () => {
    const made = await create(w.keys.accountAdmin, {
      name: "backup",
      account: w.a,
      settings: { kind: "heartbeat" },
    });
    const token: string = made.body.heartbeatToken;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await findMonitor(s.svc.db.db, made.body.id);
    expect(row?.heartbeat_hash).toBe(heartbeatHash(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(
      (await s.request("GET", `/api/v1/monitors/${made.body.id}`, { key: w.keys.super })).body,
    ).not.toHaveProperty("heartbeatToken");
    expect((await s.request("POST", `/api/v1/heartbeat/${token}`)).status).toBe(204);
    expect((await s.request("GET", `/api/v1/heartbeat/${token}`)).status).toBe(204);
    expect(Number((await findMonitor(s.svc.db.db, made.body.id))?.last_ping_at)).toBeGreaterThan(0);
    expect((await s.request("POST", `/api/v1/heartbeat/${"x".repeat(43)}`)).status).toBe(404);
    const bad = await s.request("POST", "/api/v1/heartbeat/short");
    expect([bad.status, bad.body.error.details?.[0]?.field]).toEqual([400, "params.token"]);
    // reports are not audit events; the creation is
    expect((await audit(made.body.id)).map((e) => e.action)).toEqual(["monitor.create"]);
  });

  it("walks results newest first within a time range, page by page", async () => {
    const made = await create(w.keys.accountAdmin, {
      name: "r",
      account: w.a,
      settings: http("https://r.example.com/"),
    });
    const id = made.body.id;
    const t0 = Date.parse("2026-03-01T00:00:00Z");
    await insertResults(
      s.svc.db.db,
      Array.from({ length: 5 }, (_, i) => ({
        monitor_id: id,
        at: t0 + i * 60_000,
        outcome: i === 2 ? ("down" as const) : ("up" as const),
        response_ms: 10 + i,
        message: null,
      })),
    );
    const get = (qs: string, key = w.keys.reader) =>
      s.request("GET", `/api/v1/monitors/${id}/results?${qs}`, { key });
    const range = `from=${new Date(t0 + 60_000).toISOString()}&to=${new Date(t0 + 4 * 60_000).toISOString()}`;
    const first = await get(`${range}&limit=2`);
    expect(first.body.items.map((r: { responseMs: number }) => r.responseMs)).toEqual([13, 12]);
    expect(first.body.items[1]).toMatchObject({
      outcome: "down",
      at: new Date(t0 + 120_000).toISOString(),
    });
    const second = await get(`${range}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ items: [{ responseMs: 11 }], nextCursor: null });
    expect((await get("", w.keys.otherAdmin)).status).toBe(404);
    // the list brings each monitor's latest checks, oldest first, for its sparkline
    const listed = await s.request("GET", "/api/v1/monitors?q=r&limit=100", { key: w.keys.reader });
    const item = listed.body.items.find((m: { id: string }) => m.id === id);
    expect(item.recent.map((c: { ok: boolean; ms: number }) => [c.ok, c.ms])).toEqual([
      [true, 10],
      [true, 11],
      [false, 12],
      [true, 13],
      [true, 14],
    ]);
    expect(item.recent[0].at).toBe(new Date(t0).toISOString());
    const badCursor = await get("cursor=abc");
    expect([badCursor.status, badCursor.body.error.details?.[0]?.field]).toEqual([
      400,
      "querystring.cursor",
    ]);
  });

  it("answers a monitor's series: raw 10-minute buckets, then roll-ups and the raw tail", async () => {
    const made = await create(w.keys.accountAdmin, {
      name: "series",
      account: w.a,
      settings: http("https://series.example.com/"),
    });
    const id = made.body.id;
    const now = Date.now();
    // two in one 10-minute bucket (and one hour), one in the current hour
    const first = floorTo(now - 3 * HOUR, 600_000) + 1000;
    const at = [first, first + 1000, now - 60_000];
    await insertResults(s.svc.db.db, [
      { monitor_id: id, at: at[0] as number, outcome: "up", response_ms: 100, message: null },
      { monitor_id: id, at: at[1] as number, outcome: "down", response_ms: null, message: "x" },
      { monitor_id: id, at: at[2] as number, outcome: "degraded", response_ms: 900, message: null },
    ]);
    // the hours up to the last finished one are rolled up; the current one stays raw
    await rollUp({ db: s.svc.db, rawDays: 7, now }, "hour");
    const get = (range: string, key = w.keys.reader) =>
      s.request("GET", `/api/v1/monitors/${id}/series?range=${range}`, { key });
    const bucketOf = (t: number, size: number) => new Date(floorTo(t, size)).toISOString();

    const day = await get("24h");
    expect(day.status, JSON.stringify(day.body)).toBe(200);
    expect(day.body).toMatchObject({ range: "24h", bucketSeconds: 600, checks: 3, uptime: 66.667 });
    expect(day.body.buckets).toHaveLength(144);
    const tenMin = (t: number) =>
      day.body.buckets.find((b: { start: string }) => b.start === bucketOf(t, 600_000));
    expect(tenMin(at[0] as number)).toMatchObject({ checks: 2, up: 1, uptime: 50, p50Ms: 100 });
    expect(tenMin(at[2] as number)).toMatchObject({ checks: 1, degraded: 1, p95Ms: 900 });

    const week = await get("7d");
    expect(week.body).toMatchObject({ bucketSeconds: 3600, checks: 3, uptime: 66.667 });
    expect(week.body.buckets).toHaveLength(168);
    const hour = (t: number) =>
      week.body.buckets.find((b: { start: string }) => b.start === bucketOf(t, HOUR));
    expect(hour(at[0] as number)).toMatchObject({ checks: 2, uptime: 50, maxMs: 100 });
    expect(hour(at[2] as number)).toMatchObject({ checks: 1, uptime: 100, maxMs: 900 });

    const quarter = await get("90d");
    expect(quarter.body).toMatchObject({ bucketSeconds: 86_400, checks: 3 });
    expect(quarter.body.buckets).toHaveLength(90);
    expect((await get("24h", w.keys.otherAdmin)).status).toBe(404);
    const bad = await get("1y");
    expect([bad.status, bad.body.error.details?.[0]?.field]).toEqual([400, "querystring.range"]);
  });
});

describe.each(dialects())("monitor checks now on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);

  it("checks now against a real server and answers the result, recorded as a scheduled check", async () => {
    const made = await s.request("POST", "/api/v1/monitors", {
      key: w.keys.accountAdmin,
      body: {
        name: "local",
        account: w.a,
        settings: { kind: "http", url: `${base}/ok`, keyword: { text: "hello" } },
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const checked = await s.request("POST", `/api/v1/monitors/${made.body.id}/check`, {
      key: w.keys.accountAdmin,
    });
    expect(checked.body).toMatchObject({ outcome: "up", message: "answered 200" });
    const id = made.body.id;
    const read = async () =>
      (await s.request("GET", `/api/v1/monitors/${id}`, { key: w.keys.reader })).body;
    expect(await read()).toMatchObject({ state: "up", lastCheckAt: checked.body.at });
    const results = await s.request("GET", `/api/v1/monitors/${id}/results`, {
      key: w.keys.reader,
    });
    expect(results.body.items).toMatchObject([{ outcome: "up", at: checked.body.at }]);

    // a failing check now runs the state machine: down (no retries), its event recorded
    await s.request("PATCH", `/api/v1/monitors/${id}`, {
      key: w.keys.accountAdmin,
      body: { settings: { kind: "http", url: `${base}/fail` } },
    });
    const failed = await s.request("POST", `/api/v1/monitors/${id}/check`, {
      key: w.keys.accountAdmin,
    });
    expect(failed.body.outcome).toBe("down");
    expect(await read()).toMatchObject({ state: "down", consecutiveFailures: 1 });
    const events = await s.svc.db.db
      .selectFrom("events")
      .select("type")
      .where("target_id", "=", id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(["monitor.down"]);
    expect(
      (await s.request("POST", `/api/v1/monitors/${made.body.id}/check`, { key: w.keys.reader }))
        .status,
    ).toBe(403);
  });

  it("pings now: the installation's allow list opens 127.0.0.1, link-local stays refused", async () => {
    const made = await s.request("POST", "/api/v1/monitors", {
      key: w.keys.accountAdmin,
      body: { name: "ping", account: w.a, settings: { kind: "ping", host: "127.0.0.1", count: 1 } },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const checked = await s.request("POST", `/api/v1/monitors/${made.body.id}/check`, {
      key: w.keys.accountAdmin,
    });
    expect(checked.body).toMatchObject({ outcome: "up" });
    expect(checked.body.message).toMatch(/^1 of 1 replies \(0% loss\)/);
    const linkLocal = await s.request("POST", "/api/v1/monitors", {
      key: w.keys.super,
      body: { name: "ll", installation: true, settings: { kind: "ping", host: "fe80::1" } },
    });
    expect([linkLocal.status, linkLocal.body.error.details?.[0]?.field]).toEqual([
      400,
      "settings.host",
    ]);
  });
});
