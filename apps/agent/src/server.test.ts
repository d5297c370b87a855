// The agent's server through a real mTLS socket on 127.0.0.1: who is refused, and how.
import { facts, health } from "@steward/contracts/agent";
import { createCsr, importKey, issue, readCsr } from "@steward/pki";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { send, startTestAgent, type TestAgent } from "./testing/agent.ts";
import { issueIdentity, makeCa, mintToken } from "./testing/pki.ts";

let t: TestAgent;
beforeAll(async () => {
  t = await startTestAgent();
});
afterAll(() => t?.stop());

describe("agent server: mTLS", () => {
  it("refuses a client without a certificate during the TLS handshake", async () => {
    const token = await t.token("health");
    await expect(send(`${t.url}/v1/health`, t.pki.ca, null, token)).rejects.toThrow(
      /certificate required/i,
    );
  });

  it("refuses a client certificate from another CA", async () => {
    const other = await issueIdentity(await makeCa("Other CA"), "steward-panel", "client");
    const token = await t.token("health");
    await expect(send(`${t.url}/v1/health`, t.pki.ca, other, token)).rejects.toThrow(
      /unknown ca|socket hang up|ECONNRESET/i,
    );
  });

  it("answers 403 to a certificate of the installation that is not the panel's", async () => {
    const node = await issueIdentity(t.pki, "node_other", "server-and-client", ["127.0.0.1"]);
    const r = await t.call("/v1/health", { client: node });
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({ error: { code: "NOT_THE_PANEL" } });
  });

  it("accepts the panel's renewed certificate (same key, new certificate)", async () => {
    const { publicKey } = await readCsr(
      await createCsr("steward-panel", {
        keys: await importKey(t.pki.panel.key),
        privateKey: t.pki.panel.key,
      }),
    );
    const renewed = await issue({
      caCertificate: t.pki.ca,
      caKey: t.pki.caKey,
      commonName: "steward-panel",
      publicKey,
      usage: "client",
      days: 365,
    });
    expect(renewed).not.toBe(t.pki.panel.cert);
    const r = await t.call("/v1/health", { client: { cert: renewed, key: t.pki.panel.key } });
    expect(r.status).toBe(200);
  });
});

describe("agent server: request tokens", () => {
  const codeOf = (r: { json(): unknown }) => (r.json() as { error: { code: string } }).error.code;

  it("401 without a token", async () => {
    const r = await t.call("/v1/health", { token: null });
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe("TOKEN_MISSING");
  });

  it("401 for an expired token", async () => {
    const r = await t.call("/v1/health", { token: await t.token("health", { expiresIn: -120 }) });
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe("TOKEN_EXPIRED");
  });

  it("401 for a token living longer than 5 minutes", async () => {
    const r = await t.call("/v1/health", { token: await t.token("health", { expiresIn: 3600 }) });
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe("TOKEN_TOO_LONG");
  });

  it("401 for a token signed with another key, or by another issuer", async () => {
    const forged = await mintToken(t.pki.agent.key, { aud: "node_test1", sub: "health" });
    expect(codeOf(await t.call("/v1/health", { token: forged }))).toBe("TOKEN_INVALID");
    const iss = await mintToken(t.pki.panel.key, { aud: "node_test1", sub: "health", iss: "x" });
    const r = await t.call("/v1/health", { token: iss });
    expect(r.status).toBe(401);
    expect(codeOf(r)).toBe("TOKEN_INVALID");
    expect((await t.call("/v1/health", { token: "not.a.jwt" })).status).toBe(401);
  });

  it("403 for a token for another node", async () => {
    const r = await t.call("/v1/health", { token: await t.token("health", { aud: "node_other" }) });
    expect(r.status).toBe(403);
    expect(codeOf(r)).toBe("WRONG_AUDIENCE");
  });

  it("403 for a token for another route", async () => {
    const r = await t.call("/v1/facts", { token: await t.token("health") });
    expect(r.status).toBe(403);
    expect(codeOf(r)).toBe("WRONG_SUBJECT");
    const op = await t.call("/v1/ops/system.ping", {
      token: await t.token("op:site.apply"),
      body: { version: 1, input: {} },
    });
    expect(op.status).toBe(403);
  });

  it("401 for a token used twice", async () => {
    const token = await t.token("health", { jti: "once-only" });
    expect((await t.call("/v1/health", { token })).status).toBe(200);
    const again = await t.call("/v1/health", { token });
    expect(again.status).toBe(401);
    expect(codeOf(again)).toBe("TOKEN_REPLAYED");
  });
});

describe("agent server: routes", () => {
  it("health, with the panel's request id in the answer and in the log", async () => {
    const r = await t.call("/v1/health", { requestId: "req-health-42" });
    expect(r.status).toBe(200);
    expect(r.headers["x-request-id"]).toBe("req-health-42");
    const h = health.parse(r.json());
    expect(h).toMatchObject({ ok: true, nodeId: "node_test1" });
    expect(h.certificateExpiresIn).toBeGreaterThan(80 * 86_400);
    // the machine's load rides along: the heartbeat keeps it as the node's health
    expect(h.load?.cpus).toBeGreaterThan(0);
    expect(h.load?.memory.totalBytes).toBeGreaterThan(0);
    expect(h.load?.disk.totalBytes).toBeGreaterThan(0);
    expect(h.load?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(t.logs.some((l) => l.reqId === "req-health-42" && l.url === "/v1/health")).toBe(true);
  });

  it("facts in the contract's shape", async () => {
    const r = await t.call("/v1/facts");
    expect(r.status).toBe(200);
    const f = facts.parse(r.json());
    expect(f.cpus).toBeGreaterThan(0);
    expect(f.memory.totalBytes).toBeGreaterThan(0);
    expect(f.disks.some((d) => d.mount === "/")).toBe(true);
    expect(f.services.map((s) => s.name)).toEqual([
      "nginx",
      "php-fpm",
      "mariadb",
      "postgres",
      "postfix",
      "dovecot",
      "rspamd",
      "clamd",
      "podman",
    ]);
    expect(f.systemd).toBe(false);
  });

  it("metrics in Prometheus' text format", async () => {
    const r = await t.call("/metrics");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^steward_agent_up 1$/m);
    expect(r.text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(r.text).toMatch(/^steward_agent_operations_total\{status="ok"\} \d+$/m);
  });

  it("404 for an unknown route, 405 for a wrong method", async () => {
    expect((await t.call("/v1/nothing")).status).toBe(404);
    const r = await t.call("/v1/health", { method: "POST", body: {} });
    expect(r.status).toBe(405);
  });
});
