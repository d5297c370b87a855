// The scheduler on both dialects, fast: monitors with 150 ms intervals (25 ms ticks) against a
// real local HTTP server that goes down and comes back; the state, results and events it
// writes; two panels sharing the monitors by lease, and one taking over when the other stops.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_POLICY } from "@steward/contracts/net";
import type { NotificationEvent } from "@steward/contracts/notifications";
import { dialects } from "@steward/testkit";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/open.ts";
import { newId } from "../../lib/ids.ts";
import { openTestDb } from "../../testing/test-db.ts";
import * as repo from "./repo.ts";
import { createMonitorScheduler, type MonitorScheduler } from "./scheduler.ts";

let server: Server;
let base = "";
let healthy = true;

beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe.each(dialects())("monitor scheduler on %s", (dialect) => {
  let db: Db;
  const running: MonitorScheduler[] = [];
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
    healthy = true;
  });
  afterAll(() => db.close());

  async function addMonitor(name: string, retries = 1) {
    const id = newId("mon");
    const now = Date.now();
    await repo.insertMonitor(db.db, {
      id,
      account_id: "acc_1",
      name,
      kind: "http",
      settings: JSON.stringify({ kind: "http", url: `${base}/${name}` }),
      interval_ms: 150,
      timeout_ms: 100,
      retries,
      maintenance: "[]",
      state: "pending",
      state_since: now,
      next_due: now,
      created_at: now,
      updated_at: now,
    });
    return id;
  }

  function start(events: NotificationEvent[] = [], leaseMs = 600) {
    const scheduler = createMonitorScheduler({
      db,
      log: pino({ level: "silent" }),
      probeDeps: () => ({ policy: { ...DEFAULT_POLICY, allow: ["127.0.0.1/32"] } }),
      consoleUrl: (id) => `https://panel.example.com/monitors/${id}`,
      tickMs: 25,
      flushMs: 100,
      leaseMs,
      record: async (_trx, list) => void events.push(...list),
    });
    running.push(scheduler);
    return scheduler;
  }

  const row = async (id: string) => (await repo.findMonitor(db.db, id)) as repo.MonitorRow;
  const results = (id: string) =>
    db.db
      .selectFrom("monitor_results")
      .selectAll()
      .where("monitor_id", "=", id)
      .orderBy("at")
      .execute();

  it("checks on time, goes down after its retries and up again, with one event each", async () => {
    const id = await addMonitor("shop");
    const events: NotificationEvent[] = [];
    const scheduler = start(events);
    await scheduler.start();
    await expect.poll(async () => (await row(id)).state, { timeout: 10_000 }).toBe("up");
    healthy = false;
    await expect.poll(async () => (await row(id)).state, { timeout: 10_000 }).toBe("down");
    healthy = true;
    await expect.poll(async () => (await row(id)).state, { timeout: 10_000 }).toBe("up");
    await scheduler.stop();
    expect(events.map((e) => e.type)).toEqual(["monitor.down", "monitor.up"]);
    expect(events[0]).toMatchObject({
      accountId: "acc_1",
      target: { type: "monitor", id, name: "shop" },
      fields: {
        monitorId: id,
        error: "answered 503, expected 200-299",
        monitorTarget: `${base}/shop`,
      },
    });
    const written = await results(id);
    const outcomes = written.map((r) => r.outcome);
    // one failure is forgiven (retries 1): down comes with the second in a row
    const firstDown = outcomes.indexOf("down");
    expect(outcomes.slice(firstDown, firstDown + 2)).toEqual(["down", "down"]);
    expect(written.every((r) => r.response_ms !== null)).toBe(true);
    const stats = scheduler.stats();
    expect(stats.checks).toBeGreaterThanOrEqual(written.length);
    expect(stats.p99JitterMs).toBeTypeOf("number");
    // stopped: its leases are free again
    expect((await row(id)).lease_until).toBe(0);
  });

  it("shares the monitors between two panels, each run by one, and takes over when one stops", async () => {
    const ids = await Promise.all(["a", "b", "c", "d", "e", "f"].map((n) => addMonitor(n)));
    const one = start();
    const two = start();
    await Promise.all([one.start(), two.start()]);
    const owners = async () => Promise.all(ids.map(async (id) => (await row(id)).lease_owner));
    await expect
      .poll(async () => (await owners()).every((o) => o === one.owner || o === two.owner))
      .toBe(true);
    expect(one.stats().held + two.stats().held).toBeGreaterThanOrEqual(ids.length);
    await one.stop();
    await expect
      .poll(async () => (await owners()).every((o) => o === two.owner), { timeout: 10_000 })
      .toBe(true);
    const before = await Promise.all(ids.map(async (id) => (await results(id)).length));
    await expect
      .poll(
        async () => {
          const after = await Promise.all(ids.map(async (id) => (await results(id)).length));
          return after.every((n, i) => n > (before[i] ?? 0));
        },
        { timeout: 10_000 },
      )
      .toBe(true);
  });

  it("takes a monitor created here at once, without a pass over every lease it holds", async () => {
    const held = await addMonitor("held");
    const scheduler = start([], 60_000);
    await scheduler.start();
    const lease = (await row(held)).lease_until;
    expect((await row(held)).lease_owner).toBe(scheduler.owner);
    const before = scheduler.stats().held;
    const created = await addMonitor("created");
    await scheduler.poke([created]);
    expect((await row(created)).lease_owner).toBe(scheduler.owner);
    expect(scheduler.stats().held).toBe(before + 1);
    // the other lease was not renewed: no lease pass ran
    expect((await row(held)).lease_until).toBe(lease);
    await expect.poll(async () => (await results(created)).length).toBeGreaterThan(0);
  });
});
