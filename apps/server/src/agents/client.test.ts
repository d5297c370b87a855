// The agent client against a minimal mTLS agent (testing/fake-agent.ts) on both databases:
// pinning, revocation before and during a request, NDJSON streaming, and the messages of
// each failure. The real agent (apps/agent) is tested against the panel in the lead's
// integration test.
import { createServer } from "node:net";
import { dialects } from "@steward/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeAgent, startFakeAgent } from "../testing/fake-agent.ts";
import { startTestServer } from "../testing/harness.ts";
import { useServer } from "../testing/use-server.ts";
import { agentRequest, runOperation } from "./client.ts";
import { AgentError, AgentPermanentError } from "./errors.ts";

describe.each(dialects())("agent client on %s", (dialect) => {
  const s = useServer(dialect);
  let a: FakeAgent;
  let n = 0;
  const fresh = async () => {
    a = await startFakeAgent(s.svc, s.cli, `agent-${++n}`);
    return a;
  };
  afterEach(() => a?.stop());
  const env = () => s.svc;
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error("expected a failure");
      },
      (e) => e as AgentError | AgentPermanentError,
    );

  it("runs an operation: token, request id, NDJSON log lines to onLog, the result", async () => {
    await fresh();
    const lines: string[] = [];
    const result = await runOperation(
      env(),
      a.nodeId,
      "system.ping",
      { message: "hello" },
      { requestId: "req-42", onLog: (m, level) => lines.push(`${level}: ${m}`) },
    );
    expect(result).toMatchObject({ status: "ok", changed: false, output: { message: "hello" } });
    expect(lines).toEqual(["info: pinging"]);
    expect(a.seen).toEqual([
      {
        method: "POST",
        path: "/v1/ops/system.ping",
        sub: "op:system.ping",
        requestId: "req-42",
        body: { version: 1, input: { message: "hello" } },
      },
    ]);
    const health = await agentRequest(
      env(),
      { id: a.nodeId },
      {
        method: "GET",
        path: "/v1/health",
        sub: "health",
      },
    );
    expect(health).toMatchObject({ ok: true, nodeId: a.nodeId });
  });

  it("streams lines as they come and returns after the result line", async () => {
    await fresh();
    const got: string[] = [];
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    a.ops["system.ping"] = async (_input, send) => {
      for (const m of ["one", "two"])
        send({ type: "log", at: new Date().toISOString(), level: "warn", message: m });
      await gate;
      send({ type: "result", result: { status: "ok", changed: true, steps: [] } });
    };
    const run = runOperation(
      env(),
      a.nodeId,
      "system.ping",
      {},
      {
        onLog: (m) => {
          got.push(m);
          if (got.length === 2) release();
        },
      },
    );
    expect(await run).toMatchObject({ status: "ok", changed: true });
    expect(got).toEqual(["one", "two"]);
  });

  it("refuses an agent whose certificate is not the one enrolled", async () => {
    await fresh();
    await s.svc.db.db
      .updateTable("nodes")
      .set({ cert_fingerprint: "0".repeat(64) })
      .where("id", "=", a.nodeId)
      .execute();
    const e = await failure(
      agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" }),
    );
    expect(e).toBeInstanceOf(AgentPermanentError);
    expect([e.code, e.message]).toEqual([
      "AGENT_CERT_MISMATCH",
      `the agent at ${a.url} presents a different certificate than the one enrolled (its fingerprint differs): re-enroll the node if it was reinstalled`,
    ]);
    expect(a.seen).toEqual([]);
  });

  it("refuses an agent whose certificate another CA issued", async () => {
    await fresh();
    // another installation's agent answering at this address
    const other = await startTestServer("sqlite");
    try {
      const stranger = await startFakeAgent(other.svc, other.cli, "stranger");
      await s.svc.db.db
        .updateTable("nodes")
        .set({ agent_url: stranger.url })
        .where("id", "=", a.nodeId)
        .execute();
      const e = await failure(
        agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" }),
      );
      expect(e.code).toBe("AGENT_CERT_MISMATCH");
      expect(e.message).toMatch(/re-enroll the node if it was reinstalled/);
      expect(stranger.seen).toEqual([]);
      await stranger.stop();
    } finally {
      await other.close();
    }
  });

  it("says so when the agent does not accept the panel's certificate", async () => {
    await fresh();
    const other = await startTestServer("sqlite");
    try {
      a.trustClientsOf((await other.svc.pki.ca()).certificate);
    } finally {
      await other.close();
    }
    const e = await failure(
      agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" }),
    );
    expect([e.code, e.message]).toEqual([
      "AGENT_UNREACHABLE",
      expect.stringMatching(
        /\(it closed the connection right after the TLS handshake: does it accept this panel's certificate/,
      ),
    ]);
    expect(a.seen).toEqual([]);
  });

  it("refuses a revoked node before connecting", async () => {
    await fresh();
    await s.svc.nodes.revoke(s.cli, a.nodeId);
    const e = await failure(runOperation(env(), a.nodeId, "system.ping", {}));
    expect([e.code, e.message]).toEqual(["NODE_REVOKED", `node agent-${n} is revoked`]);
    expect(e).toBeInstanceOf(AgentPermanentError);
    expect(a.connections).toBe(0);
  });

  it("stops an operation when the node is revoked while it runs", async () => {
    await fresh();
    a.ops["system.ping"] = async (_input, send) => {
      send({ type: "log", at: new Date().toISOString(), level: "info", message: "working" });
      await new Promise((r) => setTimeout(r, 10_000));
    };
    const lines: string[] = [];
    const run = failure(
      agentRequest(env(), a.nodeId, {
        method: "POST",
        path: "/v1/ops/system.ping",
        sub: "op:system.ping",
        body: { version: 1, input: {} },
        revocationCheckMs: 50,
        onLog: async (m) => {
          lines.push(m);
          await s.svc.nodes.revoke(s.cli, a.nodeId);
        },
      }),
    );
    const e = await run;
    expect([e.code, e.message]).toEqual([
      "NODE_REVOKED",
      `node agent-${n} was revoked while the request ran; it was stopped`,
    ]);
    expect(lines).toEqual(["working"]);
  });

  it("says the agent does not answer when nothing listens", async () => {
    await fresh();
    await a.stop();
    const e = await failure(runOperation(env(), a.nodeId, "system.ping", {}));
    expect(e).toBeInstanceOf(AgentError);
    expect([e.code, e.message]).toEqual([
      "AGENT_UNREACHABLE",
      `the agent at ${a.url} does not answer (connection refused): is \`steward agent\` running there and reachable from the panel?`,
    ]);
  });

  it("gives up on an agent that accepts but never answers, within the timeout", async () => {
    await fresh();
    // a TCP listener that never speaks TLS
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    await s.svc.db.db
      .updateTable("nodes")
      .set({ agent_url: `https://127.0.0.1:${port}` })
      .where("id", "=", a.nodeId)
      .execute();
    const e = await failure(
      agentRequest(env(), a.nodeId, {
        method: "GET",
        path: "/v1/health",
        sub: "health",
        timeoutMs: 200,
      }),
    );
    silent.close();
    expect([e.code, e.message]).toEqual([
      "AGENT_UNREACHABLE",
      expect.stringMatching(/does not answer \(no answer within 200 ms\)/),
    ]);
  });

  it("reports the agent refusing the panel's credentials", async () => {
    await fresh();
    a.health = () => ({ status: 401, body: { error: { message: "the token has expired" } } });
    const e = await failure(
      agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" }),
    );
    expect([e.code, e.message]).toEqual([
      "AGENT_REFUSED_CREDENTIALS",
      expect.stringMatching(/^the agent refused the panel's credentials: the token has expired/),
    ]);
    // a token for another purpose is refused by the agent itself
    const wrong = await failure(
      agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/facts", sub: "health" }),
    );
    expect(wrong.message).toMatch(/^the agent refused the panel's credentials: bad request token/);
  });

  it("tells 4xx (final) from 5xx (retried) answers", async () => {
    await fresh();
    a.health = () => ({ status: 503, body: { error: { message: "busy" } } });
    const busy = await failure(
      agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" }),
    );
    expect([busy.code, busy instanceof AgentPermanentError, busy.message]).toEqual([
      "AGENT_ERROR",
      false,
      `the agent at ${a.url} answered 503 to GET /v1/health: busy`,
    ]);
    const unknown = await failure(
      runOperation(env(), a.nodeId, "site.remove", { id: "s1", user: "u1" }),
    );
    expect([unknown.code, unknown instanceof AgentPermanentError]).toEqual(["AGENT_ERROR", true]);
  });

  it("refuses input an operation's contract refuses, and nodes not enrolled, without connecting", async () => {
    await fresh();
    const bad = await failure(runOperation(env(), a.nodeId, "system.ping", { message: 5 }));
    expect([bad.code, bad.message]).toEqual([
      "OP_INPUT_INVALID",
      expect.stringMatching(/^the input of system.ping is not valid: message: /),
    ]);
    const pending = await s.svc.nodes.create(s.cli, {
      name: `pending-${n}`,
      agentUrl: "https://127.0.0.1:1",
    });
    const e = await failure(runOperation(env(), pending.id, "system.ping", {}));
    expect([e.code, e.message]).toEqual([
      "NODE_NOT_ENROLLED",
      expect.stringMatching(/is not enrolled yet: run `steward agent enroll`/),
    ]);
    expect(a.connections).toBe(0);
  });

  it("stops with the caller's reason when its signal aborts", async () => {
    await fresh();
    a.ops["system.ping"] = () => new Promise(() => {});
    const ac = new AbortController();
    const run = failure(runOperation(env(), a.nodeId, "system.ping", {}, { signal: ac.signal }));
    setTimeout(() => ac.abort(new Error("timed out after 5 s")), 100);
    expect((await run).message).toBe("timed out after 5 s");
  });

  it("accepts a rotated certificate once recorded as next, and pins it on sight", async () => {
    await fresh();
    const cert = (path: string, body: unknown) =>
      agentRequest(env(), a.nodeId, { method: "POST", path, sub: "cert", body });
    const before = await s.svc.nodes.get(s.cli, a.nodeId);
    const { csr } = (await cert("/v1/cert/csr", {})) as { csr: string };
    const signed = await s.svc.pki.signNodeCsr(a.nodeId, csr, ["127.0.0.1"]);
    await s.svc.db.db
      .updateTable("nodes")
      .set({ cert_next_fingerprint: signed.fingerprint, cert_next_expires_at: signed.expiresAt })
      .where("id", "=", a.nodeId)
      .execute();
    await cert("/v1/cert/install", { certificate: signed.certificate });
    // installed over a connection made with the old certificate: nothing promoted yet
    expect((await s.svc.nodes.get(s.cli, a.nodeId)).certFingerprint).toBe(before.certFingerprint);
    await agentRequest(env(), a.nodeId, { method: "GET", path: "/v1/health", sub: "health" });
    const row = await s.svc.db.db
      .selectFrom("nodes")
      .selectAll()
      .where("id", "=", a.nodeId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      cert_fingerprint: signed.fingerprint,
      cert_expires_at: signed.expiresAt,
      cert_next_fingerprint: null,
    });
  });
});
