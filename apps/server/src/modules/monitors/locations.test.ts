// Checks from the nodes with a quorum (docs/monitors.md, "Locations and quorum"), end to end:
// the panel and a real enrolled agent (a node on 127.0.0.6) as two locations of one monitor,
// against a local HTTP server that answers each location as told (by the X-Steward-Location
// header each side's probe sends); the panel's own scheduler sends the node its checks in
// monitor.check batches. One location down: degraded, not down; both: down; the node's agent
// gone: no vote (never a down one). And the refusals: a node of another account, one that
// does not exist, "../", a quorum of 0 or above the locations: 400 naming the field, nothing
// written.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusal } from "../../testing/hostile.ts";
import { enrollRealNode, type RealNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import * as repo from "./repo.ts";

const nginx = await startNginx({ listen: "127.0.0.6" });

/** What the target answers each location: "panel" or the node's id; 200 when not said. */
const answers = new Map<string, number>();
const seen = new Set<string>();
let target: Server;
let url = "";
beforeAll(async () => {
  target = createServer((req, res) => {
    const location = String(req.headers["x-steward-location"] ?? "");
    seen.add(location);
    res.writeHead(answers.get(location) ?? 200).end();
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
});
afterAll(() => new Promise((resolve) => target.close(resolve)));

describe.skipIf(!nginx)("a monitor checked from the panel and a node", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let node: RealNode;
  let monitor = "";
  const M = "/api/v1/monitors";
  const k = () => s.svc.db.db;

  beforeAll(async () => {
    if (!nginx) return;
    node = await enrollRealNode(s, w.keys.super, { name: "probe-node", nginx });
    // account A uses the node (one of its sites runs there); account B does not
    const site = await s.request("POST", "/api/v1/sites", {
      key: w.keys.accountAdmin,
      body: {
        node: node.id,
        domains: ["probes.example.com"],
        kind: "static",
        account: w.a,
        monitor: false,
      },
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
  });
  afterAll(async () => {
    await s.svc.monitorScheduler.stop();
    await node?.close();
    await nginx?.stop();
  });

  const create = (key: string, body: Record<string, unknown>) =>
    s.request("POST", M, {
      key,
      body: { name: "from-two", settings: { kind: "http", url }, timeoutSeconds: 2, ...body },
    });

  it("refuses locations the account may not use and quorums that do not fit, writing nothing", async () => {
    const count = async () => (await k().selectFrom("monitors").select("id").execute()).length;
    const before = await count();
    const cases: [string, Record<string, unknown>, string][] = [
      [w.keys.otherAdmin, { account: w.b, locations: [node.id] }, "locations"],
      [
        w.keys.accountAdmin,
        { account: w.a, locations: ["panel", "nod_doesnotexist"] },
        "locations",
      ],
      [w.keys.accountAdmin, { account: w.a, locations: ["../"] }, "body.locations.0"],
      [w.keys.accountAdmin, { account: w.a, locations: [] }, "body.locations"],
      [w.keys.accountAdmin, { account: w.a, locations: ["panel", "panel"] }, "body.locations"],
      [
        w.keys.accountAdmin,
        { account: w.a, locations: ["panel", node.id], quorum: 0 },
        "body.quorum",
      ],
      [
        w.keys.accountAdmin,
        { account: w.a, locations: ["panel", node.id], quorum: 3 },
        "body.quorum",
      ],
      [
        w.keys.accountAdmin,
        { account: w.a, locations: [node.id], settings: { kind: "heartbeat" } },
        "body.locations",
      ],
    ];
    for (const [key, body, field] of cases) {
      const res = await create(key, body);
      expect(refusal(res, field), JSON.stringify(body)).toMatchObject({
        status: 400,
        names: field,
      });
    }
    expect(await count()).toBe(before);
    // a super user's installation monitor may use any enrolled node; a PATCH is checked the same
    const made = await create(w.keys.super, { installation: true, locations: [node.id] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ locations: [node.id], quorum: 1 });
    const patch = (body: unknown) =>
      s.request("PATCH", `${M}/${made.body.id}`, { key: w.keys.super, body });
    expect(refusal(await patch({ quorum: 2 }), "quorum")).toMatchObject({ names: "quorum" });
    expect(refusal(await patch({ locations: ["x/../y"] }), "body.locations.0")).toMatchObject({
      names: "body.locations.0",
    });
    expect((await patch({ locations: ["panel", node.id], quorum: 2 })).body).toMatchObject({
      locations: ["panel", node.id],
      quorum: 2,
    });
    await s.request("DELETE", `${M}/${made.body.id}`, { key: w.keys.super });
  });

  const state = async () => (await repo.findMonitor(k(), monitor))?.state;
  const events = async () =>
    (
      await k()
        .selectFrom("events")
        .select(["type", "summary", "fields"])
        .where("target_id", "=", monitor)
        .orderBy("id")
        .execute()
    ).map((e) => ({ type: e.type, summary: e.summary, locations: JSON.parse(e.fields).locations }));
  const locationsOfResults = async () =>
    new Set(
      (
        await k()
          .selectFrom("monitor_results")
          .select("location")
          .where("monitor_id", "=", monitor)
          .execute()
      ).map((r) => r.location),
    );

  it("is degraded when one location sees it down, down when both do, up again", async () => {
    const made = await create(w.keys.accountAdmin, { account: w.a, locations: ["panel", node.id] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ locations: ["panel", node.id], quorum: 2 });
    monitor = made.body.id;
    // the test-only shortcut: checks every second rather than the API's least 20 s
    await repo.updateMonitor(k(), monitor, {
      interval_ms: 1000,
      timeout_ms: 800,
      updated_at: Date.now(),
    });
    await s.svc.monitorScheduler.start();
    await expect.poll(state).toBe("up");
    expect(seen).toEqual(new Set(["panel", node.id]));
    expect(await locationsOfResults()).toEqual(new Set(["panel", node.id]));

    answers.set(node.id, 503);
    await expect.poll(state).toBe("degraded");
    answers.set("panel", 503);
    await expect.poll(state).toBe("down");
    answers.clear();
    await expect.poll(state).toBe("up");
    // what each location saw, in the summary and the field (a loaded machine may add changes
    // between: each check must answer within its timeout)
    const said = await events();
    expect(said[0]).toEqual({
      type: "monitor.degraded",
      summary: `monitor from-two is degraded (down from ${node.id}; up from panel)`,
      locations: `down from ${node.id}; up from panel`,
    });
    expect(said).toContainEqual({
      type: "monitor.down",
      summary: `monitor from-two is down (down from panel, ${node.id})`,
      locations: `down from panel, ${node.id}`,
    });
    // never down before both saw it down
    expect(said.findIndex((e) => e.type === "monitor.down")).toBeGreaterThan(0);
    // the results of one location, newest first
    const mine = await s.request("GET", `${M}/${monitor}/results?location=${node.id}&limit=5`, {
      key: w.keys.accountAdmin,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((r: { location: string }) => r.location === node.id)).toBe(true);
  });

  it("counts a node whose agent does not answer as no vote, never a down one", async () => {
    await node.agent?.close(1000);
    node.agent = null;
    const lastNodeResult = async () =>
      (
        await k()
          .selectFrom("monitor_results")
          .select("at")
          .where("monitor_id", "=", monitor)
          .where("location", "=", node.id)
          .orderBy("at", "desc")
          .limit(1)
          .executeTakeFirst()
      )?.at;
    const since = Number(await lastNodeResult());
    const panelResults = async () =>
      (
        await k()
          .selectFrom("monitor_results")
          .select("at")
          .where("monitor_id", "=", monitor)
          .where("location", "=", "panel")
          .where("at", ">", since + 2000)
          .execute()
      ).length;
    // the panel alone sees it down: one down vote of a quorum of two is degraded
    answers.set("panel", 503);
    answers.set(node.id, 503);
    await expect.poll(state).toBe("degraded");
    await expect.poll(panelResults, { timeout: 20_000 }).toBeGreaterThan(3);
    expect(await state()).toBe("degraded");
    expect(Number(await lastNodeResult())).toBeLessThanOrEqual(since + 2000);
    expect((await repo.findMonitor(k(), monitor))?.last_message).toBe(
      `down from panel; no answer from ${node.id}`,
    );
    answers.clear();
  });
});
