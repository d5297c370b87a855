// Enrollment against a small local HTTP server that checks the request it receives and
// answers like the panel does (the real panel is exercised by the panel's own tests and the
// lead's end-to-end test; this one pins the agent's side of the exchange).
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { enrollRequest } from "@steward/contracts/agent";
import { readCsr } from "@steward/pki";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { enroll } from "./enroll.ts";
import { startAgent } from "./server.ts";
import { send } from "./testing/agent.ts";
import {
  type EnrollPanel,
  startEnrollPanel,
  ENROLL_TOKEN as TOKEN,
} from "./testing/enroll-panel.ts";
import { issueIdentity, makeCa, mintToken } from "./testing/pki.ts";

let panel: EnrollPanel;
beforeAll(async () => {
  panel = await startEnrollPanel("node_abc");
});
afterAll(() => panel.close());

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), "steward-enroll-")), "agent");
  panel.reset();
});
afterEach(() => rm(join(dir, ".."), { recursive: true, force: true }));

describe("steward agent enroll", () => {
  it("sends a request the panel accepts, keeps the answer, and the agent then runs with it", async () => {
    const r = await enroll({
      panel: `${panel.url}/`,
      token: TOKEN,
      dir,
      listen: "127.0.0.1:0",
      agentUrl: "https://127.0.0.1:7443",
    });
    expect(r.nodeId).toBe("node_abc");
    expect(panel.received).toHaveLength(1);
    const req = panel.received[0] as { method: string; url: string; type: string; body: unknown };
    expect(req).toMatchObject({
      method: "POST",
      url: "/api/v1/agent/enroll",
      type: "application/json",
    });
    const body = enrollRequest.parse(req.body);
    expect(body).toMatchObject({ token: TOKEN, agentUrl: "https://127.0.0.1:7443" });
    expect(body.hostname).toBe(hostname());
    await readCsr(body.csr); // a valid, self-signed P-256 request

    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const f of ["agent.json", "agent.key", "agent.crt", "ca.crt", "panel.crt"])
      expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(dir, "agent.json"), "utf8"))).toEqual({
      nodeId: "node_abc",
      panelUrl: panel.url,
      listen: { host: "127.0.0.1", port: 0 },
    });

    const agent = await startAgent(loadConfig(dir), {
      logger: (await import("pino")).default({ level: "silent" }),
    });
    try {
      const token = await mintToken(panel.panelId.key, { aud: "node_abc", sub: "health" });
      const h = await send(
        `https://127.0.0.1:${agent.port}/v1/health`,
        panel.ca.ca,
        panel.panelId,
        token,
      );
      expect(h.status).toBe(200);
    } finally {
      await agent.close(100);
    }
  });

  it("refuses to overwrite an enrolled directory unless --force, which keeps other settings", async () => {
    await enroll({ panel: panel.url, token: TOKEN, dir });
    await expect(enroll({ panel: panel.url, token: TOKEN, dir })).rejects.toThrow(
      `${dir} is already enrolled as node node_abc; use --force to enroll it again`,
    );
    const path = join(dir, "agent.json");
    const json = JSON.parse(await readFile(path, "utf8"));
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, JSON.stringify({ ...json, nginx: { bin: "/opt/nginx/sbin/nginx" } }));
    await enroll({ panel: panel.url, token: TOKEN, dir, force: true });
    expect(JSON.parse(await readFile(path, "utf8")).nginx).toEqual({
      bin: "/opt/nginx/sbin/nginx",
    });
  });

  it("says the token was refused, with the panel's message, and writes nothing", async () => {
    panel.answer = async () => [
      401,
      { error: { code: "TOKEN_EXPIRED", message: "the enrollment token has expired" } },
    ];
    await expect(enroll({ panel: panel.url, token: TOKEN, dir })).rejects.toThrow(
      "the panel refused the enrollment token: the enrollment token has expired",
    );
    expect(existsSync(dir)).toBe(false);
  });

  it("says when the panel cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(enroll({ panel: `http://127.0.0.1:${port}`, token: TOKEN, dir })).rejects.toThrow(
      `cannot reach the panel at http://127.0.0.1:${port}/api/v1/agent/enroll: ECONNREFUSED`,
    );
  });

  it("refuses an answer whose certificate is not for its key, or not from the CA", async () => {
    const other = await issueIdentity(panel.ca, "node_abc", "server-and-client");
    panel.answer = async (b) => [200, { ...(await panel.accept(b)), certificate: other.cert }];
    await expect(enroll({ panel: panel.url, token: TOKEN, dir })).rejects.toThrow(
      "the panel's certificate is not for this agent's key",
    );
    const foreign = await issueIdentity(await makeCa("Other"), "steward-panel", "client");
    panel.answer = async (b) => [
      200,
      { ...(await panel.accept(b)), panelCertificate: foreign.cert },
    ];
    await expect(enroll({ panel: panel.url, token: TOKEN, dir })).rejects.toThrow(
      "the panel certificate was not issued by the CA the panel sent",
    );
    panel.answer = async () => [200, { hello: "world" }];
    await expect(enroll({ panel: panel.url, token: TOKEN, dir })).rejects.toThrow(
      /is not an enrollment response/,
    );
    expect(existsSync(join(dir, "agent.json"))).toBe(false);
  });

  it("checks its arguments before calling the panel", async () => {
    await expect(enroll({ panel: "ftp://x", token: TOKEN, dir })).rejects.toThrow(
      "--panel must be an http(s) URL",
    );
    await expect(enroll({ panel: panel.url, token: "short", dir })).rejects.toThrow(/^--token /);
    await expect(enroll({ panel: panel.url, token: TOKEN, dir, listen: "7443" })).rejects.toThrow(
      /--listen must be host:port/,
    );
    expect(panel.received).toHaveLength(0);
  });
});
