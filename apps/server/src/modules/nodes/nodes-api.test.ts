// Nodes through the API on both databases: create, list, show, enrollment tokens (single use,
// 15 minutes, a new one replacing the unused ones), enrollment with a CSR made here, revoke,
// and the audit trail of each.
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_VERSION } from "@steward/agent/version";
import { createCsr, generateKey } from "@steward/pki";
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer } from "../../testing/use-server.ts";
import { listAudit } from "../audit/repo.ts";
import { hashToken } from "./enrollments.ts";

describe.each(dialects())("nodes API on %s", (dialect) => {
  // the agent's builds this panel serves (docs/install.md): none until a test puts one there
  const dist = mkdtempSync(join(tmpdir(), "steward-agent-dist-"));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));
  const s = useServer(dialect, { env: { STEWARD_AGENT_DIST: dist } });
  let key: string;
  let n = 0;
  const name = () => `web-${++n}`;
  beforeAll(async () => {
    const boss = await s.createUser("boss@example.com", { super: true });
    key = await s.apiKey(boss.id);
  });

  const api = (method: string, path: string, body?: unknown) =>
    s.request(method, path, { key, body: body ?? (method === "POST" ? {} : undefined) });
  const addNode = async (agentUrl = "https://10.0.0.5:7443") => {
    const res = await api("POST", "/api/v1/nodes", { name: name(), agentUrl });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const tokenFor = async (id: string) => {
    const res = await api("POST", `/api/v1/nodes/${id}/enrollment-token`);
    expect(res.status).toBe(201);
    return res.body as { token: string; expiresAt: string; command: string };
  };
  const csr = async () => createCsr("agent", await generateKey());
  /** The audit events of an action on a target, oldest first. */
  const audit = async (action: string, target: string) =>
    (
      await listAudit(s.svc.db.db, { where: null, walks: null }, { action, target, limit: 200 })
    ).reverse();
  const anonymous = { actor: null, grants: [], ip: "127.0.0.1", requestId: "t" };

  it("creates, lists and shows nodes; names are unique", async () => {
    const created = await api("POST", "/api/v1/nodes", {
      name: "db-1",
      agentUrl: "https://db1.example.com:7443",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "db-1",
      agentUrl: "https://db1.example.com:7443",
      state: "pending",
      local: false,
      certFingerprint: null,
      facts: null,
      missedHeartbeats: 0,
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^node_/);
    const twin = await api("POST", "/api/v1/nodes", {
      name: "db-1",
      agentUrl: "https://other:7443",
    });
    expect([twin.status, twin.body.error.details[0].field]).toEqual([409, "name"]);
    expect((await api("GET", `/api/v1/nodes/${id}`)).body).toEqual(created.body);
    const list = await api("GET", "/api/v1/nodes?q=DB1.EXAMPLE&state=pending");
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(list.body.items[0].facts).toBeUndefined();
    expect((await api("GET", "/api/v1/nodes?state=trusted&q=db-1")).body.items).toEqual([]);
    const [event] = await audit("node.create", id);
    expect(event).toMatchObject({ actorType: "api_key", outcome: "success" });
    expect(event?.diff).toEqual({
      after: { name: "db-1", agentUrl: "https://db1.example.com:7443" },
    });
  });

  it("shows the agent's version, whether the panel serves a newer one, and the build an upgrade installs", async () => {
    const { id } = await addNode("https://10.0.0.77:7443");
    const shown = async () => (await api("GET", `/api/v1/nodes/${id}`)).body;
    // no heartbeat yet: no version, not behind; this panel's version, and no build of it here
    expect(await shown()).toMatchObject({
      agentVersion: null,
      agentBehind: false,
      agentUpgrade: { version: AGENT_VERSION, available: false },
    });
    // a build for the node's architecture (x64 until its facts say): available
    const build = join(dist, AGENT_VERSION, "steward-agent-linux-x64");
    mkdirSync(join(dist, AGENT_VERSION), { recursive: true });
    writeFileSync(build, "the agent");
    writeFileSync(`${build}.sha256`, `${"a".repeat(64)}  steward-agent-linux-x64\n`);
    expect((await shown()).agentUpgrade).toEqual({ version: AGENT_VERSION, available: true });
    const seen = async (version: string) => {
      await s.svc.db.db
        .updateTable("nodes")
        .set({ agent_version: version })
        .where("id", "=", id)
        .execute();
      const listed = (await api("GET", `/api/v1/nodes?q=10.0.0.77&limit=100`)).body.items;
      return listed.find((x: { id: string }) => x.id === id);
    };
    for (const [version, behind] of [
      ["0.0.9", true],
      ["0.1.0-rc.1", AGENT_VERSION === "0.1.0"],
      [AGENT_VERSION, false],
      ["99.0.0", false],
    ] as const)
      expect(await seen(version), version).toMatchObject({
        agentVersion: version,
        agentBehind: behind,
      });
    expect(await shown()).toMatchObject({ agentVersion: "99.0.0", agentBehind: false });
  });

  it("treats SQL and LIKE wildcards in the q filter as text", async () => {
    for (const q of ["' or 1=1--", '"; drop table nodes;--', "%", "_", "\\"]) {
      const res = await api("GET", `/api/v1/nodes?q=${encodeURIComponent(q)}`);
      expect([q, res.status, res.body.items]).toEqual([q, 200, []]);
    }
  });

  it("pages the list by id", async () => {
    for (let i = 0; i < 3; i++) await addNode();
    const first = await api("GET", "/api/v1/nodes?limit=2");
    expect(first.body.items).toHaveLength(2);
    const next = await api("GET", `/api/v1/nodes?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body.items[0].id > first.body.items[1].id).toBe(true);
  });

  it("makes single-use tokens, keeping only their hash; a new one replaces unused ones", async () => {
    const node = await addNode();
    const t1 = await tokenFor(node.id);
    expect(t1.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t1.command).toBe(
      `steward agent enroll --panel http://localhost:8080 --token ${t1.token}`,
    );
    const expires = Date.parse(t1.expiresAt) - Date.now();
    expect(expires).toBeGreaterThan(14 * 60_000);
    expect(expires).toBeLessThanOrEqual(15 * 60_000);
    const stored = await s.svc.db.db.selectFrom("node_enrollments").selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(t1.token);
    expect(stored.map((r) => r.token_hash)).toContain(hashToken(t1.token));

    const t2 = await tokenFor(node.id);
    const old = await s.svc.nodes
      .enroll(anonymous, { token: t1.token, csr: await csr() })
      .catch((e) => e);
    expect([old.code, old.details?.[0]?.field]).toEqual(["UNAUTHENTICATED", "token"]);
    expect(old.message).toMatch(/not a valid enrollment token/);
    const ok = await s.svc.nodes.enroll(anonymous, { token: t2.token, csr: await csr() });
    expect(ok.nodeId).toBe(node.id);
    const reused = await s.svc.nodes
      .enroll(anonymous, { token: t2.token, csr: await csr() })
      .catch((e) => e);
    expect([reused.code, reused.message]).toEqual([
      "UNAUTHENTICATED",
      expect.stringMatching(/^token: was already used at .*steward node token/),
    ]);
    expect((await audit("node.token", node.id)).length).toBe(2);
    const failures = (await audit("node.enroll", node.id)).filter((e) => e.outcome === "failure");
    expect(failures.map((e) => (e.diff as { reason?: string }).reason)).toEqual([
      expect.stringMatching(/^token: was already used/),
    ]);
  });

  it("refuses an expired token", async () => {
    const node = await addNode();
    const t = await tokenFor(node.id);
    await s.svc.db.db
      .updateTable("node_enrollments")
      .set({ expires_at: Date.now() - 1 })
      .where("token_hash", "=", hashToken(t.token))
      .execute();
    const res = await s.request("POST", "/api/v1/agent/enroll", {
      body: { token: t.token, csr: await csr() },
    });
    expect([res.status, res.body.error.details[0].field]).toEqual([401, "token"]);
    expect(res.body.error.message).toMatch(/^token: expired at/);
    const row = await s.svc.nodes.get(s.cli, node.id);
    expect(row.state).toBe("pending");
  });

  it("enrolls with a CSR: a certificate for the agent, the node trusted and pinned", async () => {
    const node = await addNode("https://10.0.0.9:7443");
    const t = await tokenFor(node.id);
    const res = await s.request("POST", "/api/v1/agent/enroll", {
      body: {
        token: t.token,
        csr: await csr(),
        hostname: "web9",
        agentUrl: "https://web9.example.com:7443",
      },
    });
    expect(res.status).toBe(200);
    const pki = s.svc.pki;
    expect(res.body).toEqual({
      nodeId: node.id,
      certificate: expect.stringContaining("BEGIN CERTIFICATE"),
      caCertificate: (await pki.ca()).certificate,
      panelCertificate: (await pki.panel()).certificate,
    });
    const x = new X509Certificate(res.body.certificate);
    expect(x.subject).toBe(`CN=${node.id}`);
    expect(x.subjectAltName).toBe("DNS:web9.example.com");
    expect(x.checkIssued(new X509Certificate(res.body.caCertificate))).toBe(true);
    const after = await s.svc.nodes.get(s.cli, node.id);
    expect(after).toMatchObject({
      state: "trusted",
      agentUrl: "https://web9.example.com:7443",
      certFingerprint: x.fingerprint256.replaceAll(":", "").toLowerCase(),
      certExpiresAt: new Date(x.validTo).toISOString(),
    });
    const [event] = (await audit("node.enroll", node.id)).filter((e) => e.outcome === "success");
    expect(event).toMatchObject({ actorType: "anonymous", ip: "127.0.0.1" });
    expect(event?.diff).toMatchObject({
      state: { from: "pending", to: "trusted" },
      hostname: "web9",
      fingerprint: after.certFingerprint,
    });
    const facts = await s.svc.db.db
      .selectFrom("tasks")
      .selectAll()
      .where("kind", "=", "node.facts")
      .where("target_id", "=", node.id)
      .execute();
    expect(facts.map((f) => [f.state, JSON.parse(f.payload)])).toEqual([
      ["queued", { nodeId: node.id }],
    ]);
  });

  it("gives one certificate to two enrollments racing with one token", async () => {
    const node = await addNode();
    const t = await tokenFor(node.id);
    const results = await Promise.allSettled(
      [0, 1, 2].map(async () =>
        s.svc.nodes.enroll(anonymous, { token: t.token, csr: await csr() }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const cert = (won[0] as PromiseFulfilledResult<{ certificate: string }>).value.certificate;
    const fp = new X509Certificate(cert).fingerprint256.replaceAll(":", "").toLowerCase();
    expect((await s.svc.nodes.get(s.cli, node.id)).certFingerprint).toBe(fp);
    const ok = (await audit("node.enroll", node.id)).filter((e) => e.outcome === "success");
    expect(ok).toHaveLength(1);
  });

  it("revokes at once, keeps the fingerprint, and refuses tokens and enrollment after", async () => {
    const node = await addNode();
    const t = await tokenFor(node.id);
    await s.svc.nodes.enroll(anonymous, { token: t.token, csr: await csr() });
    const pinned = (await s.svc.nodes.get(s.cli, node.id)).certFingerprint;
    const unused = await tokenFor(node.id);
    const res = await api("POST", `/api/v1/nodes/${node.id}/revoke`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "revoked", certFingerprint: pinned });
    const again = await api("POST", `/api/v1/nodes/${node.id}/enrollment-token`);
    expect([again.status, again.body.error.message]).toEqual([
      409,
      expect.stringMatching(/is revoked/),
    ]);
    const late = await s.svc.nodes
      .enroll(anonymous, { token: unused.token, csr: await csr() })
      .catch((e) => e);
    expect(late.code).toBe("UNAUTHENTICATED"); // revoking removed the unused token
    const [event] = await audit("node.revoke", node.id);
    expect(event?.diff).toEqual({
      state: { from: "trusted", to: "revoked" },
      fingerprint: pinned,
    });
    // a token taken before a revocation that kept it, says why
    const other = await addNode();
    const tk = await tokenFor(other.id);
    await s.svc.db.db
      .updateTable("nodes")
      .set({ state: "revoked" })
      .where("id", "=", other.id)
      .execute();
    const refused = await s.svc.nodes
      .enroll(anonymous, { token: tk.token, csr: await csr() })
      .catch((e) => e);
    expect([refused.code, refused.message]).toEqual(["CONFLICT", expect.stringMatching(/revoked/)]);
  });

  it("shows no health before a heartbeat, an empty history, and refuses hostile ids naming the field", async () => {
    const node = await addNode();
    const got = await api("GET", `/api/v1/nodes/${node.id}`);
    expect(got.body.health).toBeNull();
    const metrics = await api("GET", `/api/v1/nodes/${node.id}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toEqual({ nodeId: node.id, points: [] });
    for (const path of ["metrics", "facts/refresh"]) {
      const method = path === "metrics" ? "GET" : "POST";
      const hostile = await api(
        method,
        `/api/v1/nodes/${encodeURIComponent("x'; drop table nodes;--")}/${path}`,
      );
      expect(hostile.status).toBe(400);
      expect(hostile.body.error.details[0].field).toBe("params.id");
      expect((await api(method, `/api/v1/nodes/node_missing/${path}`)).status).toBe(404);
    }
  });

  it("refreshes facts on demand: a node.facts task for the node, audited; none for a pending node", async () => {
    const pending = await addNode();
    const refused = await api("POST", `/api/v1/nodes/${pending.id}/facts/refresh`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details[0].field).toBe("state");
    await s.svc.db.db
      .updateTable("nodes")
      .set({ state: "trusted" })
      .where("id", "=", pending.id)
      .execute();
    const first = await api("POST", `/api/v1/nodes/${pending.id}/facts/refresh`);
    expect(first.status).toBe(202);
    // asked again while the first waits: the same task
    const again = await api("POST", `/api/v1/nodes/${pending.id}/facts/refresh`);
    expect(again.body.taskId).toBe(first.body.taskId);
    const task = await api("GET", `/api/v1/tasks/${first.body.taskId}`);
    expect(task.body).toMatchObject({ kind: "node.facts", payload: { nodeId: pending.id } });
    expect((await audit("node.facts", pending.id)).length).toBe(2);
  });

  it("lets global readers read and global admins manage nodes, nobody else", async () => {
    const node = await addNode();
    const keyOf = async (email: string, role?: "read" | "admin") => {
      const u = await s.createUser(email);
      if (role)
        await s.svc.grants.set(s.cli, {
          principalType: "user",
          principalId: u.id,
          scopeType: "global",
          scopeId: null,
          role,
        });
      return s.apiKey(u.id);
    };
    const reader = await keyOf("global-reader@example.com", "read");
    const admin = await keyOf("global-admin@example.com", "admin");
    const nobody = await keyOf("nobody@example.com");
    const as = (k: string, method: string, path: string, body?: unknown) =>
      s.request(method, path, { key: k, body: body ?? (method === "POST" ? {} : undefined) });
    const create = { name: name(), agentUrl: "https://10.1.1.1:7443" };
    expect((await as(reader, "GET", `/api/v1/nodes/${node.id}`)).status).toBe(200);
    expect((await as(reader, "GET", "/api/v1/nodes")).status).toBe(200);
    expect((await as(reader, "POST", "/api/v1/nodes", create)).status).toBe(403);
    expect((await as(reader, "POST", `/api/v1/nodes/${node.id}/revoke`)).status).toBe(403);
    expect((await as(nobody, "GET", "/api/v1/nodes")).status).toBe(403);
    expect((await as(admin, "POST", "/api/v1/nodes", create)).status).toBe(201);
    expect((await as(admin, "POST", `/api/v1/nodes/${node.id}/enrollment-token`)).status).toBe(201);
    expect((await as(admin, "POST", `/api/v1/nodes/${node.id}/revoke`)).status).toBe(200);
  });

  it("refuses bad enrollments with the field named; only token refusals are audited", async () => {
    const node = await addNode();
    const good = await tokenFor(node.id);
    const valid = await csr();
    const snapshot = async () => ({
      nodes: await s.svc.db.db.selectFrom("nodes").selectAll().orderBy("id").execute(),
      enrollments: await s.svc.db.db
        .selectFrom("node_enrollments")
        .selectAll()
        .orderBy("id")
        .execute(),
      pki: await s.svc.db.db.selectFrom("pki").selectAll().orderBy("name").execute(),
      tasks: await s.svc.db.db.selectFrom("tasks").select("id").orderBy("id").execute(),
    });
    const events = async () =>
      (await s.svc.db.db.selectFrom("audit_events").select("id").execute()).length;
    const tampered = valid.replace(/[A-Za-z](?=[^\n]*\n-----END)/, (c) => (c === "A" ? "B" : "A"));
    const cases: [Record<string, unknown>, string, string, boolean][] = [
      [{ token: "x".repeat(43), csr: valid }, "UNAUTHENTICATED", "token", true],
      [
        { token: good.token.replace(/^./, (c) => (c === "a" ? "b" : "a")), csr: valid },
        "UNAUTHENTICATED",
        "token",
        true,
      ],
      [{ token: good.token, csr: `${"A".repeat(120)}` }, "VALIDATION_FAILED", "csr", false],
      [{ token: good.token, csr: tampered }, "VALIDATION_FAILED", "csr", false],
      [
        { token: good.token, csr: valid, agentUrl: "http://10.0.0.1:7443" },
        "VALIDATION_FAILED",
        "agentUrl",
        false,
      ],
      [
        { token: good.token, csr: valid, agentUrl: "https://a b:1" },
        "VALIDATION_FAILED",
        "agentUrl",
        false,
      ],
      [
        { token: good.token, csr: valid, agentUrl: "https://10.0.0.1:99999" },
        "VALIDATION_FAILED",
        "agentUrl",
        false,
      ],
      [{ token: good.token, csr: valid, hostname: "a\nb" }, "VALIDATION_FAILED", "hostname", false],
    ];
    for (const [body, code, field, audited] of cases) {
      const before = await snapshot();
      const count = await events();
      const e = await s.svc.nodes.enroll(anonymous, body as never).catch((x) => x);
      expect([body, e.code, e.details?.[0]?.field]).toEqual([body, code, field]);
      expect(await snapshot()).toEqual(before);
      expect(await events()).toBe(count + (audited ? 1 : 0));
    }
    // the good token still works after all that
    expect((await s.svc.nodes.enroll(anonymous, { token: good.token, csr: valid })).nodeId).toBe(
      node.id,
    );
  });
});

describe("agent enrollment rate limit", () => {
  const s = useServer("sqlite");

  it("allows 20 attempts a minute per address, like setup", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await s.request("POST", "/api/v1/agent/enroll", {
        body: { token: "x".repeat(43), csr: "y".repeat(200) },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((st) => st === 400)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});
