// Issue 12's "done when", end to end on both dialects: a monitor (made through the API) against
// a real local HTTP server that is stopped and started again, the panel's own scheduler,
// dispatcher and task workers, a grouped rule with flap suppression to a webhook channel (the
// recording fake) and a rule to an email channel through the testkit's Postfix + Dovecot, the
// message read back over IMAP. Down gives one `monitor.down` event, one webhook message and a
// mail; recovery gives `monitor.up`; flapping gives one "flapping" message.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dialects, type MailServer, startMail } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOOK_SECRET, hooks, until, webhookChannel } from "../../testing/dispatch.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { useFake } from "../notifications/channels/fakes/use-fake.ts";
import { webhookFake } from "../notifications/channels/fakes/webhook.ts";
import { deliveriesBy } from "../notifications/dispatch/repo.ts";
import * as repo from "./repo.ts";

/** the contracts' least interval is 20 s: the test runs its monitor every 400 ms instead */
const INTERVAL_MS = 400;
const OPS = "alice@example.test";

const fake = useFake(webhookFake(HOOK_SECRET));
const mail = await startMail();
afterAll(async () => {
  await mail?.stop();
});

/** The monitored site: a real HTTP server on a fixed port, stopped and started for real. */
let target: Server | null = null;
let port = 0;
async function startTarget() {
  const server = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  target = server;
}
async function stopTarget() {
  const server = target;
  target = null;
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
}
beforeAll(startTarget);
afterAll(stopTarget);

describe.skipIf(!mail).each(dialects())("a monitor's alerts end to end on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const m = () => mail as MailServer;
  const hook = `monitor-${dialect}`;
  let monitor = "";
  let webhookRule = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    await s.svc.monitorScheduler.start();
  });
  afterAll(() => s.svc.monitorScheduler.stop());

  const state = async () => (await repo.findMonitor(s.svc.db.db, monitor))?.state;
  const eventTypes = async () =>
    (
      await s.svc.db.db
        .selectFrom("events")
        .select("type")
        .where("target_id", "=", monitor)
        .orderBy("id")
        .execute()
    ).map((e) => e.type);
  const subjects = () => hooks(fake, hook).map((h) => h.subject);
  const allSent = async () =>
    (await deliveriesBy(s.svc.db.db, "rule_id", webhookRule)).every((d) => d.state === "sent");

  it("sets up a monitor, a grouped webhook rule with flap suppression and an email rule", async () => {
    const key = w.keys.accountAdmin;
    const webhook = await webhookChannel(s, key, w.a, hook, fake);
    const email = await s.request("POST", "/api/v1/notification-channels", {
      key,
      body: {
        name: `postfix-${dialect}`,
        account: w.a,
        settings: {
          kind: "email",
          host: m().host,
          port: m().ports.smtp,
          security: "none",
          username: "bob@example.test",
          password: m().password("bob@example.test"),
          from: "bob@example.test",
          to: [OPS],
        },
      },
    });
    expect(email.status, JSON.stringify(email.body)).toBe(201);
    const rule = async (name: string, settings: object, channel: string) => {
      const made = await s.request("POST", "/api/v1/notification-rules", {
        key,
        body: { name, account: w.a, settings, channels: [channel] },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.id as string;
    };
    webhookRule = await rule(
      "monitors to the webhook",
      { eventTypes: ["monitor."], groupSeconds: 1, flap: { changes: 3, windowMinutes: 10 } },
      webhook,
    );
    await rule("down by mail", { eventTypes: ["monitor.down"] }, email.body.id);
    const made = await s.request("POST", "/api/v1/monitors", {
      key,
      body: {
        name: `shop-${dialect}`,
        account: w.a,
        settings: { kind: "http", url: `http://127.0.0.1:${port}/health` },
        intervalSeconds: 20,
        timeoutSeconds: 1,
        retries: 1,
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    monitor = made.body.id;
    // the test-only shortcut: a shorter interval than the API allows, picked up at the next pass
    await repo.updateMonitor(s.svc.db.db, monitor, {
      interval_ms: INTERVAL_MS,
      timeout_ms: INTERVAL_MS - 100,
      updated_at: Date.now(),
    });
    await s.svc.monitorScheduler.poke();
    await until(async () => (await state()) === "up");
    expect(await eventTypes()).toEqual([]); // a new monitor coming up says nothing
  });

  it("goes down within an interval plus its retries: one event, one webhook message, one mail", async () => {
    await stopTarget();
    const stoppedAt = Date.now();
    await until(async () => (await state()) === "down");
    expect(await eventTypes()).toEqual(["monitor.down"]);
    // down came with the second failed check (retries 1): one interval after the first
    const checks = await s.svc.db.db
      .selectFrom("monitor_results")
      .select(["at", "outcome"])
      .where("monitor_id", "=", monitor)
      .where("at", ">=", stoppedAt)
      .orderBy("at")
      .limit(2)
      .execute();
    const row = await repo.findMonitor(s.svc.db.db, monitor);
    expect(Number(row?.state_since)).toBe(Number(checks[1]?.at));
    expect(checks.map((c) => c.outcome)).toEqual(["down", "down"]);
    await until(async () => subjects().length === 1 && (await allSent()));
    const [down] = hooks(fake, hook);
    expect(down?.subject).toContain(`shop-${dialect}`);
    expect(down?.severity).toBe("critical");
    expect(down?.text).toMatch(/refused|ECONNREFUSED/i);
    const mailed = await m().waitForMessage({ to: OPS, subject: `shop-${dialect}` });
    expect(mailed.subject).toMatch(/down/i);
    expect(mailed.text).toContain(`127.0.0.1:${port}/health`);
    expect(fake.problems).toEqual([]);
  });

  it("comes back up: one monitor.up event and its message", async () => {
    await startTarget();
    await until(async () => (await state()) === "up");
    expect(await eventTypes()).toEqual(["monitor.down", "monitor.up"]);
    await until(async () => subjects().length === 2 && (await allSent()));
    expect(subjects()[1]).toMatch(/up/i);
  });

  it("sends one flapping message for a monitor that keeps going down and up", async () => {
    // three more changes: the rule calls it flapping at its third, the monitor at its fifth
    for (const next of ["down", "up", "down"] as const) {
      if (next === "down") await stopTarget();
      else await startTarget();
      await until(async () => (await state()) === next);
    }
    await until(async () => (await eventTypes()).includes("monitor.flapping"));
    await startTarget();
    await until(async () => (await state()) === "up");
    await s.svc.dispatcher.drain();
    await until(allSent);
    const flapping = subjects().filter((subject) => /flapping/i.test(subject));
    expect(flapping).toHaveLength(1);
    // down and up were sent; the changes after the flapping message were not
    expect(subjects()).toHaveLength(3);
    expect(fake.problems).toEqual([]);
  });
});
