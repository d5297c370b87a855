// The panel's own certificate (STEWARD_TLS_DOMAIN) against pebble: pebble validates http-01 on
// the panel's challenge port (STEWARD_TLS_HTTP_PORT), every name resolving to 127.0.0.1. The
// panel serves a self-signed stand-in first, then the CA's certificate once its task ran
// (checked by a handshake trusting pebble's root); a renewal due in the daily scan is served
// live with a new serial; a challenge the CA cannot reach fails in words with an event while
// the served certificate stays.
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { freePort, startPebble } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedCertificate } from "../../testing/handshake.ts";
import { startTestServer, type TestServer } from "../../testing/harness.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { panelTlsPaths } from "./panel-files.ts";
import { orderPanelAtStart } from "./panel-scan.ts";
import { readPanelState, updatePanelState } from "./panel-state.ts";

const DOMAIN = "panel.example.test";
const challengePort = await freePort();
const port = await freePort();
// every order validates its challenge (pebble reuses a valid authorization half the time)
const pebble = await startPebble({ httpPort: challengePort, env: { PEBBLE_AUTHZREUSE: "0" } });

const served = async (ca?: string) =>
  servedCertificate({ host: "127.0.0.1", port, servername: DOMAIN, ...(ca ? { ca } : {}) });

/** Waits until the panel serves a serial other than `old`. */
async function servedOtherThan(old: string) {
  const end = Date.now() + 20_000;
  for (;;) {
    const now = (await served()).serial;
    if (now !== old || Date.now() > end) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function plain(path: string) {
  return new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: challengePort, path }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** The API over the panel's HTTPS (its certificate checked against pebble's root). */
function api(method: string, path: string, key: string, ca: string) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        ca,
        servername: DOMAIN,
        headers: { authorization: `Bearer ${key}` },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => {
          text += d.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!pebble)("the panel's own certificate (STEWARD_TLS_DOMAIN) against pebble", () => {
  let s: TestServer;
  let root = "";
  let key = "";
  const enqueue = async (spec: Parameters<TestServer["svc"]["engine"]["enqueue"]>[0]) =>
    (await s.svc.engine.enqueue(spec)).task;

  beforeAll(async () => {
    s = await startTestServer("sqlite", {
      STEWARD_TLS_DOMAIN: DOMAIN,
      STEWARD_TLS_HTTP_PORT: String(challengePort),
      STEWARD_PORT: String(port),
      STEWARD_ACME_DIRECTORY: pebble?.directory ?? "",
      STEWARD_ACME_CA_FILE: pebble?.caFile ?? "",
    });
    root = (await pebble?.root()) ?? "";
    const admin = await s.createUser("panel-tls@example.com", { super: true });
    key = await s.apiKey(admin.id);
    s.svc.engine.startWorker();
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await pebble?.stop();
  });

  it("serves a self-signed stand-in first, then the CA's certificate once its task ran", async () => {
    const first = await served(root);
    expect(first.authorized).toBe(false);
    expect(s.svc.consoleOrigins[0]).toBe(`https://${DOMAIN}:${port}`);
    // the plain port: only the panel's pending tokens, the rest redirected to HTTPS
    expect(await plain("/a/b?c=1")).toMatchObject({
      status: 301,
      location: `https://${DOMAIN}:${port}/a/b?c=1`,
    });
    expect((await plain("/.well-known/acme-challenge/not-a-pending-token-1234")).status).toBe(404);
    expect((await plain("/.well-known/acme-challenge/..%2f..%2fkey.pem")).status).toBe(404);

    const taskId = await orderPanelAtStart(s.svc.settings, s.svc.db, enqueue);
    expect(taskId).toMatch(/^task_/);
    const task = await settleTask(s, taskId ?? "", 60_000);
    expect(task.state, await taskLogText(s, task.id)).toBe("succeeded");
    const now = await served(root);
    expect(now.authorized).toBe(true);
    expect(now.serial).not.toBe(first.serial);
    // the key is the panel's own, 0600 in the data dir, never in the database
    const files = panelTlsPaths(s.svc.settings.dataDir);
    expect(statSync(files.key).mode & 0o777).toBe(0o600);
    const leaf = new X509Certificate(readFileSync(files.cert));
    expect(leaf.serialNumber.toUpperCase()).toBe(now.serial);
    const settings = await s.svc.db.db.selectFrom("settings").select("value").execute();
    expect(settings.some((r) => r.value.includes("PRIVATE KEY"))).toBe(false);
    expect(await taskLogText(s, task.id)).not.toContain("PRIVATE KEY");

    const got = await api("GET", "/api/v1/certificates/panel", key, root);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      domain: DOMAIN,
      state: "active",
      serial: now.serial,
      lastError: null,
    });
    expect(Number(got.body.daysLeft)).toBeGreaterThan(0);
    expect(Date.parse(String(got.body.renewAt))).toBeLessThan(
      Date.parse(String(got.body.notAfter)),
    );
    // ordered already: a restart orders nothing
    expect(await orderPanelAtStart(s.svc.settings, s.svc.db, enqueue)).toBeNull();
  }, 90_000);

  it("renews in the daily scan when due: the new serial is served without a restart", async () => {
    const before = (await served(root)).serial;
    const ordered = (await readPanelState(s.svc.db.db)).taskId;
    await updatePanelState(s.svc.db.db, { renewAt: Date.now() - 1 });
    // the daily scan (a recurring task, installed with the first super user) runs now, once
    const scan = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${scan.task.id}/run`, key, root)).status).toBe(200);
    await expect
      .poll(async () => (await readPanelState(s.svc.db.db)).taskId, { timeout: 20_000 })
      .not.toBe(ordered);
    expect(await taskLogText(s, scan.task.id)).toMatch(/the panel's certificate for .* is due/);
    const state = await readPanelState(s.svc.db.db);
    const renewal = await settleTask(s, state.taskId ?? "", 60_000);
    expect(renewal.state, await taskLogText(s, renewal.id)).toBe("succeeded");
    const after = await servedOtherThan(before);
    expect(after).not.toBe(before);
    expect((await served(root)).authorized).toBe(true);
    expect((await readPanelState(s.svc.db.db)).renewAt ?? 0).toBeGreaterThan(Date.now());
  }, 90_000);

  it("fails in words with certificate.failed when the CA cannot reach the challenge; the served certificate stays", async () => {
    const before = (await served(root)).serial;
    await pebble?.setA(DOMAIN, "127.0.0.3");
    try {
      const renew = await api("POST", "/api/v1/certificates/panel/renew", key, root);
      expect(renew.status).toBe(202);
      const task = await settleTask(s, String(renew.body.taskId), 60_000);
      expect(task.state).toBe("failed");
      const state = await readPanelState(s.svc.db.db);
      expect(state).toMatchObject({ state: "failed", failures: 1 });
      expect(state.lastError).toMatch(
        new RegExp(`port 80 of ${DOMAIN} could not be reached by the CA .*check that DNS points`),
      );
      expect(await taskLogText(s, task.id)).toContain(`could not be reached by the CA`);
      const events = await s.svc.db.db
        .selectFrom("events")
        .select(["type", "account_id", "summary", "target_type"])
        .where("type", "=", "certificate.failed")
        .execute();
      expect(events).toEqual([expect.objectContaining({ account_id: null, target_type: "panel" })]);
      expect(events[0]?.summary).toContain(`the certificate of ${DOMAIN} could not be issued`);
      expect((await served(root)).serial).toBe(before);
    } finally {
      await pebble?.clearA(DOMAIN);
    }
  }, 90_000);
});
