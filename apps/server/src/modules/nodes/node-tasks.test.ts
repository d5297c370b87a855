// The node tasks against the minimal mTLS agent (testing/fake-agent.ts) on both databases:
// heartbeats (unreachable after 3 misses, trusted again on an answer), facts, certificate
// rotation. The real agent (apps/agent) is tested against the panel in the lead's
// integration test.
import { setTimeout as sleep } from "node:timers/promises";
import { dialects } from "@steward/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { installDefaultTasks } from "../../engine/builtin/install.ts";
import type { HandlerContext } from "../../engine/types.ts";
import { type FakeAgent, startFakeAgent } from "../../testing/fake-agent.ts";
import { useServer } from "../../testing/use-server.ts";

describe.each(dialects())("node tasks on %s", (dialect) => {
  const s = useServer(dialect);
  let a: FakeAgent;
  let n = 0;
  afterEach(() => a?.stop());
  const fresh = async () => {
    a = await startFakeAgent(s.svc, s.cli, `node-${++n}`);
    return a;
  };
  const row = () =>
    s.svc.db.db
      .selectFrom("nodes")
      .selectAll()
      .where("id", "=", a.nodeId)
      .executeTakeFirstOrThrow();
  const stateAudit = () =>
    s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "node.state")
      .where("target_id", "=", a.nodeId)
      .orderBy("id")
      .execute();

  /** Runs a handler once, as a worker would, collecting its log lines. */
  async function run(kind: string, payload: unknown = {}) {
    const def = s.svc.engine.registry.get(kind);
    if (!def) throw new Error(`no kind ${kind}`);
    const lines: string[] = [];
    const ctx: HandlerContext<unknown> = {
      task: {
        id: "task_test",
        kind,
        attempt: 1,
        maxAttempts: 1,
        payload: def.payload.parse(payload),
      },
      log: {
        info: (m) => lines.push(`info: ${m}`),
        warn: (m) => lines.push(`warn: ${m}`),
        error: (m) => lines.push(`error: ${m}`),
      },
      progress: async () => {},
      signal: new AbortController().signal,
      checkpoint: { load: () => undefined, save: async () => {} },
      // a child task goes into the engine as the worker's context would put it
      enqueue: (spec) => s.svc.engine.enqueue(spec).then((r) => r.task),
    };
    return { result: await def.run(ctx), lines };
  }
  const factsTasks = () =>
    s.svc.db.db
      .selectFrom("tasks")
      .select(["id", "state"])
      .where("kind", "=", "node.facts")
      .where("target_id", "=", a.nodeId)
      .execute();

  it("marks a node unreachable after 3 missed heartbeats, and trusted again when it answers", async () => {
    await fresh();
    const first = await run("node.heartbeat");
    expect(first.result).toMatchObject({ answered: expect.any(Number) });
    expect(await row()).toMatchObject({
      state: "trusted",
      missed_heartbeats: 0,
      last_error: null,
      agent_version: "test", // as its health answered
    });
    expect(a.seen.map((r) => r.sub)).toEqual(["health"]);

    await a.stop();
    for (const missed of [1, 2]) {
      await run("node.heartbeat");
      expect(await row()).toMatchObject({ state: "trusted", missed_heartbeats: missed });
    }
    expect((await row()).last_error).toMatch(/does not answer \(connection refused\)/);
    const third = await run("node.heartbeat");
    expect(await row()).toMatchObject({ state: "unreachable", missed_heartbeats: 3 });
    expect(third.lines).toContain(`error: node node-${n} is unreachable after 3 missed heartbeats`);
    await run("node.heartbeat"); // still down: stays unreachable, one audit event only
    expect(
      (await stateAudit()).map((e) => [e.actor_type, e.actor_name, JSON.parse(e.diff ?? "")]),
    ).toEqual([
      [
        "system",
        "node.heartbeat",
        {
          state: { from: "trusted", to: "unreachable" },
          reason: expect.stringMatching(/does not answer/),
        },
      ],
    ]);

    // the state change is an installation-level event, once
    const nodeEvents = async () =>
      (await s.svc.events.list(s.cli, { limit: 10, target: a.nodeId })).items;
    const [down] = await nodeEvents();
    expect(await nodeEvents()).toHaveLength(1);
    expect(down).toMatchObject({
      type: "node.unreachable",
      severity: "critical",
      accountId: null,
      target: { type: "node", id: a.nodeId, name: `node-${n}` },
      groupKey: `node:${a.nodeId}`,
      fields: {
        nodeId: a.nodeId,
        nodeName: `node-${n}`,
        lastSeenAt: expect.stringMatching(/^\d{4}-/),
        error: expect.stringMatching(/does not answer/),
      },
    });

    await a.start();
    const back = await run("node.heartbeat");
    expect(back.lines).toContain(`info: node node-${n} answers again: trusted`);
    const r = await row();
    expect(r).toMatchObject({ state: "trusted", missed_heartbeats: 0, last_error: null });
    expect(Number(r.last_seen_at)).toBeGreaterThan(Date.now() - 5_000);
    expect((await stateAudit()).map((e) => JSON.parse(e.diff ?? "").state)).toEqual([
      { from: "trusted", to: "unreachable" },
      { from: "unreachable", to: "trusted" },
    ]);
    const [up, ...before] = await nodeEvents();
    expect(before.map((e) => e.type)).toEqual(["node.unreachable"]);
    expect(up).toMatchObject({
      type: "node.reachable",
      severity: "info",
      outcome: "success",
      fields: { nodeId: a.nodeId, downtimeSeconds: expect.any(Number) },
    });
  });

  it("keeps the load of each answer as the node's health: one point a minute, 24 hours", async () => {
    await fresh();
    const k = s.svc.db.db;
    // a point from two days ago: the heartbeat prunes it
    const old = Date.now() - 48 * 3_600_000;
    await k
      .insertInto("node_metrics")
      .values({
        node_id: a.nodeId,
        at: old - (old % 60_000),
        load1: 9,
        load5: 9,
        load15: 9,
        cpus: 2,
        cpu_percent: 99,
        memory_total: 100,
        memory_available: 1,
        disk_total: 100,
        disk_available: 1,
      })
      .execute();
    await run("node.heartbeat");
    await run("node.heartbeat"); // the same minute: one point, replaced
    const listed = (await s.svc.nodes.list(s.cli, { limit: 100 })).items.find(
      (x) => x.id === a.nodeId,
    );
    expect(listed?.health).toMatchObject({
      load1: 0.5,
      load5: 0.25,
      load15: 0.1,
      cpus: 2,
      cpuPercent: 12.5,
      memoryPercent: 75,
      diskPercent: 40,
    });
    const history = await s.svc.nodes.metrics(s.cli, a.nodeId);
    expect(history.points).toHaveLength(1);
    expect(history.points[0]).toMatchObject({ load1: 0.5, memoryPercent: 75, diskPercent: 40 });
  });

  it("counts an agent that answers as another node as a miss", async () => {
    await fresh();
    a.health = () => ({
      status: 200,
      body: {
        ok: true,
        version: "x",
        uptimeSeconds: 1,
        nodeId: "node_other",
        certificateExpiresIn: 1,
      },
    });
    await run("node.heartbeat");
    expect((await row()).last_error).toMatch(/says it is node node_other/);
  });

  it("leaves revoked and pending nodes alone", async () => {
    await fresh();
    await s.svc.nodes.revoke(s.cli, a.nodeId);
    await run("node.heartbeat");
    expect(a.connections).toBe(0);
    expect((await row()).state).toBe("revoked");
  });

  it("stores facts: for one node after enrollment (through a worker), hourly for all", async () => {
    await fresh();
    const queued = await s.svc.db.db
      .selectFrom("tasks")
      .select(["id", "state"])
      .where("kind", "=", "node.facts")
      .where("target_id", "=", a.nodeId)
      .executeTakeFirstOrThrow();
    s.svc.engine.startWorker();
    for (let i = 0; i < 200; i++) {
      const t = await s.svc.db.db
        .selectFrom("tasks")
        .select(["state", "last_error"])
        .where("id", "=", queued.id)
        .executeTakeFirstOrThrow();
      if (t.state !== "queued" && t.state !== "running") {
        expect(t).toEqual({ state: "succeeded", last_error: null });
        break;
      }
      await sleep(25);
    }
    const stored = await s.svc.nodes.get(s.cli, a.nodeId);
    expect(stored.facts).toMatchObject({ hostname: "fake", os: { id: "debian" }, cpus: 2 });
    const all = await run("node.facts");
    // the agents of earlier tests are stopped: their failures are logged, not the task's
    expect((all.result as { failed: string[] }).failed).not.toContain(`node-${n}`);
    // (which of them are still trusted depends on the heartbeats run before)
    expect(all.lines.some((l) => /^warn: node node-\d+: the agent at/.test(l))).toBe(true);
    expect(a.seen.filter((r) => r.sub === "facts").length).toBe(2);
  });

  it("asks for the facts of a node that answers with none read yet, at most every ten minutes", async () => {
    s.svc.engine.startWorker(); // as the panel runs (an earlier test of this file started it too)
    const settled = () =>
      expect
        .poll(async () => (await factsTasks()).filter((t) => /queued|running/.test(t.state)))
        .toEqual([]);
    /** the facts never read: the enrollment's facts task gave up (the agent was not up yet) */
    const forget = async () => {
      await settled();
      await s.svc.db.db.deleteFrom("tasks").where("kind", "=", "node.facts").execute();
      await s.svc.db.db
        .updateTable("nodes")
        .set({ facts: null })
        .where("id", "=", a.nodeId)
        .execute();
    };
    await fresh();
    await forget();
    const beat = await run("node.heartbeat");
    expect(beat.lines).toContain(
      `info: node node-${n} answers and its facts were never read: asking for them`,
    );
    expect(await factsTasks()).toHaveLength(1);
    await expect.poll(async () => (await row()).facts).not.toBeNull();
    // the next heartbeats ask for nothing more within ten minutes
    await forget();
    expect((await run("node.heartbeat")).lines.join("\n")).not.toMatch(/facts/);
    expect(await factsTasks()).toEqual([]);
    // a node whose facts were read is not asked
    await fresh();
    await settled();
    expect((await row()).facts).not.toBeNull();
    await s.svc.db.db.deleteFrom("tasks").where("kind", "=", "node.facts").execute();
    await run("node.heartbeat");
    expect(await factsTasks()).toEqual([]);
  });

  it("rotates a certificate: CSR, sign, install, then pin the new one", async () => {
    await fresh();
    const before = await row();
    // not due: nothing to do for all nodes
    await s.svc.db.db
      .updateTable("nodes")
      .set({ cert_expires_at: Date.now() + 60 * 86_400_000 })
      .where("id", "=", a.nodeId)
      .execute();
    await run("node.rotate-cert");
    expect(a.seen.filter((r) => r.sub === "cert")).toEqual([]);
    // due in 10 days: rotated
    await s.svc.db.db
      .updateTable("nodes")
      .set({ cert_expires_at: Date.now() + 10 * 86_400_000 })
      .where("id", "=", a.nodeId)
      .execute();
    const done = await run("node.rotate-cert");
    expect(done.result).toEqual({ rotated: expect.any(Number) });
    expect(a.seen.filter((r) => r.sub === "cert").map((r) => r.path)).toEqual([
      "/v1/cert/csr",
      "/v1/cert/install",
    ]);
    const after = await row();
    expect(after.cert_fingerprint).not.toBe(before.cert_fingerprint);
    expect(after.cert_next_fingerprint).toBeNull();
    expect(Number(after.cert_expires_at)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    // the agent now serves the new certificate and the panel accepts it
    await run("node.heartbeat");
    expect(await row()).toMatchObject({
      state: "trusted",
      cert_fingerprint: after.cert_fingerprint,
    });
    const [event] = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("action", "=", "node.cert_rotate")
      .where("target_id", "=", a.nodeId)
      .execute();
    expect(JSON.parse(event?.diff ?? "").fingerprint).toEqual({
      from: before.cert_fingerprint,
      to: after.cert_fingerprint,
    });
  });

  it("keeps the old certificate when the agent cannot install the new one", async () => {
    await fresh();
    const before = await row();
    a.installStatus = 500;
    await expect(run("node.rotate-cert", { nodeId: a.nodeId })).rejects.toThrow(/answered 500/);
    const after = await row();
    expect(after.cert_fingerprint).toBe(before.cert_fingerprint);
    expect(after.cert_next_fingerprint).not.toBeNull();
    await run("node.heartbeat");
    expect(await row()).toMatchObject({ state: "trusted", missed_heartbeats: 0 });
  });

  it("are installed with the first super user: heartbeat every 30 s, facts hourly, rotation daily", async () => {
    await installDefaultTasks(s.svc.engine);
    const rows = await s.svc.db.db
      .selectFrom("tasks")
      .select(["kind", "expression", "timezone", "run_at"])
      .where("kind", "in", ["node.heartbeat", "node.facts", "node.rotate-cert"])
      .where("expression", "is not", null)
      .orderBy("kind")
      .execute();
    expect(rows.map((r) => [r.kind, r.expression])).toEqual([
      ["node.facts", "@hourly"],
      ["node.heartbeat", "*/30 * * * * *"],
      ["node.rotate-cert", "@daily"],
    ]);
    const heartbeat = rows.find((r) => r.kind === "node.heartbeat");
    expect(Number(heartbeat?.run_at) - Date.now()).toBeLessThanOrEqual(30_000);
  });
});
