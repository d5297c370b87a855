// ARI (RFC 9773) against a strict local fake of a CA's renewalInfo endpoint (neither
// acme-client 5.4 nor Debian's pebble 2.4 speak it): the certID of the RFC's example and of a
// real chain, the window and Retry-After read, the fallback when the CA has none, and the daily
// scan moving a certificate's renewal when its window moves. The fake records every request
// and refuses what RFC 9773 does not allow (another method, a body, a padded or non-base64url
// certID, an unknown certificate). Last, an uploaded certificate is never ordered over.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ariCertId, ariId } from "@steward/pki";
import { freePort, localCertificate, testCa, testChain } from "@steward/testkit";
import acme from "acme-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpSolver, orderCertificate, trustAcmeCa } from "../../testing/acme.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { askAri, refreshPlan, retryAfterMs } from "./ari.ts";
import * as repo from "./repo.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Seen {
  method: string;
  path: string;
  body: string;
}
interface Window {
  start: string;
  end: string;
  retryAfter?: string;
}

/**
 * The fake CA over HTTPS (a throwaway CA in `caFile`, as STEWARD_ACME_CA_FILE trusts it): a
 * directory (with or without renewalInfo) and its renewalInfo endpoint.
 */
async function startAriFake() {
  const ca = await testCa("steward ari fake ca");
  const tls = await localCertificate(ca, "ari-fake");
  const dir = mkdtempSync(join(tmpdir(), "steward-ari-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.certificate);
  const requests: Seen[] = [];
  const windows = new Map<string, Window>();
  /** the payloads of newOrder requests (JWS payloads, decoded) */
  const orders: unknown[] = [];
  let refuseReplaces = false;
  let offerAri = true;
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = "";
      req.on("data", (d: Buffer) => {
        text += d.toString();
      });
      req.on("end", () => resolve(text));
    });
  const server = createServer({ cert: tls.cert, key: tls.key }, async (req, res) => {
    const seen = { method: req.method ?? "", path: req.url ?? "", body: await body(req) };
    requests.push(seen);
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(json));
    };
    const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const nonce = { "replay-nonce": `n${requests.length}` };
    if (seen.method === "HEAD" && seen.path === "/nonce") return answer(200, {}, nonce);
    if (seen.method === "POST" && seen.path === "/order") {
      const jws = JSON.parse(seen.body) as { payload: string };
      const order = JSON.parse(Buffer.from(jws.payload, "base64url").toString());
      orders.push(order);
      if (refuseReplaces && order.replaces)
        return answer(
          409,
          { type: "urn:ietf:params:acme:error:alreadyReplaced", detail: "already replaced" },
          nonce,
        );
      // a ready order with nothing to validate; its finalize is refused (the test stops there)
      return answer(
        201,
        { status: "ready", authorizations: [], finalize: `${base}/finalize` },
        { ...nonce, location: `${base}/order/1` },
      );
    }
    if (seen.method === "POST" && seen.path === "/finalize")
      return answer(403, { type: "urn:ietf:params:acme:error:unauthorized" }, nonce);
    if (seen.method !== "GET" || seen.body) return answer(405, { type: "malformed" });
    if (seen.path === "/dir")
      return answer(200, {
        newNonce: `${base}/nonce`,
        newAccount: `${base}/account`,
        newOrder: `${base}/order`,
        ...(offerAri ? { renewalInfo: `${base}/renewal-info` } : {}),
      });
    const id = /^\/renewal-info\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(seen.path)?.[1];
    if (!id) return answer(400, { type: "urn:ietf:params:acme:error:malformed" });
    const window = windows.get(id);
    if (!window) return answer(404, { type: "urn:ietf:params:acme:error:malformed" });
    answer(
      200,
      { suggestedWindow: { start: window.start, end: window.end } },
      window.retryAfter ? { "retry-after": window.retryAfter } : {},
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    directory: `https://127.0.0.1:${port}/dir`,
    caFile,
    requests,
    windows,
    orders,
    base: () => `https://127.0.0.1:${port}`,
    refuseReplaces: (yes: boolean) => {
      refuseReplaces = yes;
    },
    offer: (yes: boolean) => {
      offerAri = yes;
    },
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const fake = await startAriFake();
const chain = await testChain({ hosts: ["ari.example.test"] });
const certId = ariCertId(`${chain.leaf}${chain.intermediate}`) ?? "";
const settings = {
  acmeDirectory: fake.directory,
  acmeStaging: false,
  acmeCaFile: fake.caFile,
  acmeEmail: undefined,
};
const iso = (ms: number) => new Date(ms).toISOString();

afterAll(() => fake.stop());

describe("ARI: the certID and the renewal window", () => {
  it("builds the certID of RFC 9773's example and of a real certificate", () => {
    const keyId = "69885B6B87464041E1B37B847BA0AE2CDE01C8D4";
    expect(ariId(keyId, "0087654321")).toBe("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    expect(ariId(keyId, "87654321")).toBe("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
    expect(ariId(keyId, "0012")).toBe("aYhba4dGQEHhs3uEe6CuLN4ByNQ.Eg");
    const [aki, serial] = certId.split(".");
    expect(Buffer.from(aki ?? "", "base64url")).toHaveLength(20);
    expect(
      Buffer.from(serial ?? "", "base64url")
        .toString("hex")
        .toUpperCase(),
    ).toMatch(new RegExp(`^(00)?${chain.serial.replace(/^(00)+/, "")}$`));
  });

  it("reads Retry-After as seconds or a date, bounded between a minute and a day", () => {
    const now = Date.UTC(2026, 11, 6);
    expect(retryAfterMs("21600", now)).toBe(6 * HOUR);
    expect(retryAfterMs(new Date(now + 2 * HOUR).toUTCString(), now)).toBe(2 * HOUR);
    expect(retryAfterMs(undefined, now)).toBe(6 * HOUR);
    expect(retryAfterMs("soon", now)).toBe(6 * HOUR);
    expect(retryAfterMs("1", now)).toBe(60_000);
    expect(retryAfterMs("9999999", now)).toBe(DAY);
  });

  it("picks a time in the suggested window and asks again after Retry-After", async () => {
    const now = Date.now();
    fake.windows.set(certId, {
      start: iso(now + 10 * DAY),
      end: iso(now + 12 * DAY),
      retryAfter: "7200",
    });
    const before = fake.requests.length;
    const got = await askAri(settings, certId, { now, random: () => 0.25 });
    expect(got).toEqual({
      renewAt: now + 10 * DAY + Math.floor(0.25 * 2 * DAY),
      nextCheck: now + 2 * HOUR,
      window: { start: now + 10 * DAY, end: now + 12 * DAY },
    });
    expect(fake.requests.slice(before)).toEqual([
      { method: "GET", path: "/dir", body: "" },
      { method: "GET", path: `/renewal-info/${certId}`, body: "" },
    ]);
    // a window already passed (the CA revoked it, say): renew now
    fake.windows.set(certId, { start: iso(now - 2 * DAY), end: iso(now - DAY) });
    expect((await askAri(settings, certId, { now }))?.renewAt).toBe(now);
  });

  it("falls back (null) when the CA offers no renewalInfo, or its answer does not fit", async () => {
    const now = Date.now();
    fake.windows.set(certId, { start: iso(now + 2 * DAY), end: iso(now + DAY) });
    expect(await askAri(settings, certId, { now })).toBeNull();
    expect(await askAri(settings, "bm90LWtub3du.AQ", { now })).toBeNull();
    fake.offer(false);
    const before = fake.requests.length;
    expect(await askAri(settings, certId, { now })).toBeNull();
    expect(fake.requests.slice(before).map((r) => r.path)).toEqual(["/dir"]);
    fake.offer(true);
  });

  it("the scan's look at a CA that cannot be reached asks again tomorrow and says why", async () => {
    const now = Date.now();
    const lines: string[] = [];
    const closed = { ...settings, acmeDirectory: `https://127.0.0.1:${await freePort()}/dir` };
    const row = { ari_id: certId, renew_at: now + DAY };
    expect(await refreshPlan(closed, row, now, (l) => lines.push(l))).toEqual({
      ari_next_at: now + DAY,
    });
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^the CA's renewal information about ${certId.replace(".", "\\.")} could not be read: the CA could not be reached at .* \\(ECONNREFUSED\\)$`,
        ),
      ),
    ]);
  });
});

describe("ARI: a renewal names the certificate it replaces (RFC 9773 section 5)", () => {
  const { privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const order = async (replaces: string | null) => {
    await trustAcmeCa(fake.caFile);
    const client = new acme.Client({
      directoryUrl: fake.directory,
      accountKey: privateKey,
      accountUrl: `${fake.base()}/account/1`,
    });
    const [, csr] = await acme.crypto.createCsr({ altNames: ["ari.example.test"] });
    const lines: string[] = [];
    const from = fake.orders.length;
    const solver = httpSolver(async () => {});
    await expect(
      orderCertificate(
        client,
        ["ari.example.test"],
        csr.toString(),
        solver,
        (l) => lines.push(l),
        replaces,
      ),
    ).rejects.toThrow();
    return { sent: fake.orders.slice(from), lines };
  };
  const identifiers = [{ type: "dns", value: "ari.example.test" }];

  it("sends the old certificate's certID as `replaces` in newOrder; a first order sends none", async () => {
    const renewal = await order(certId);
    expect(renewal.sent).toEqual([{ identifiers, replaces: certId }]);
    expect(renewal.lines).toContain(`ordered as the replacement of ${certId}`);
    expect((await order(null)).sent).toEqual([{ identifiers }]);
  });

  it("says a CA that cannot be reached could not be reached", async () => {
    const client = new acme.Client({
      directoryUrl: `https://127.0.0.1:${await freePort()}/dir`,
      accountKey: privateKey,
      accountUrl: "https://127.0.0.1:1/account/1",
    });
    await expect(client.createOrder({ identifiers })).rejects.toThrow(
      /^the CA could not be reached at https:\/\/127\.0\.0\.1:\d+\/dir \(ECONNREFUSED\)$/,
    );
  });

  it("orders again without `replaces` when the CA refuses it (already replaced)", async () => {
    fake.refuseReplaces(true);
    try {
      const renewal = await order(certId);
      expect(renewal.sent).toEqual([{ identifiers, replaces: certId }, { identifiers }]);
      expect(renewal.lines.join("\n")).toMatch(
        /the CA refused the order as the replacement of .*: ordering it as a new one/,
      );
    } finally {
      fake.refuseReplaces(false);
    }
  });
});

describe("ARI in the daily scan", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_ACME_DIRECTORY: fake.directory, STEWARD_ACME_CA_FILE: fake.caFile },
  });
  const w = useWorld(s);
  const id = "cert_ari0000000000000000000001";
  const row = () => repo.findCertificate(s.svc.db.db, id);

  beforeAll(async () => {
    const now = Date.now();
    await repo.insertCertificate(s.svc.db.db, {
      id,
      site_id: "site_ari000000000000000000001",
      account_id: w.a,
      node_id: "node_ari000000000000000000001",
      names: JSON.stringify(["ari.example.test"]),
      key_type: "ecdsa-p256",
      state: "active",
      serial: chain.serial,
      issuer: "CN=steward test intermediate ca",
      not_before: now - DAY,
      not_after: now + 89 * DAY,
      renew_at: now + 59 * DAY,
      ari_id: certId,
      ari_next_at: now - 1,
      last_error: null,
      warned_days: null,
      task_id: null,
      created_at: now,
      updated_at: now,
    });
  });

  const scan = async () => {
    const task = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    const run = await s.request("POST", `/api/v1/tasks/${task.task.id}/run`, { key: w.keys.super });
    expect(run.status).toBe(200);
    return task.task.id;
  };

  it("moves the renewal into the window the CA suggests now, and asks again after Retry-After", async () => {
    const now = Date.now();
    const start = now + 5 * DAY;
    fake.windows.set(certId, { start: iso(start), end: iso(start + DAY), retryAfter: "3600" });
    // due now, whatever an attempt before this one left (a retry asks again)
    await repo.updateCertificate(s.svc.db.db, id, { ari_next_at: now - 1 });
    s.svc.engine.startWorker();
    const task = await scan();
    await expect.poll(async () => Number((await row())?.ari_next_at)).toBeGreaterThan(now);
    const after = await row();
    // the scan's log says why when the CA's answer was not read
    expect(Number(after?.renew_at), await taskLogText(s, task)).toBeLessThan(now + 7 * DAY);
    expect(Number(after?.renew_at)).toBeGreaterThanOrEqual(start);
    expect(Number(after?.renew_at)).toBeLessThanOrEqual(start + DAY);
    expect(Number(after?.ari_next_at)).toBeGreaterThan(now + HOUR - 60_000);
    expect(
      fake.requests.filter((r) => r.path === `/renewal-info/${certId}`).length,
    ).toBeGreaterThan(0);
  });

  it("renews at once when the CA's window moves into the past (a revocation, say)", async () => {
    const now = Date.now();
    fake.windows.set(certId, { start: iso(now - 2 * DAY), end: iso(now - DAY) });
    await repo.updateCertificate(s.svc.db.db, id, { ari_next_at: now - 1 });
    await scan();
    const renewals = () =>
      s.svc.db.db
        .selectFrom("tasks")
        .select(["kind", "payload"])
        .where("kind", "=", "certificate.issue")
        .execute();
    await expect.poll(async () => (await renewals()).length).toBe(1);
    expect(JSON.parse(String((await renewals())[0]?.payload))).toEqual({ certificateId: id });
    expect(Number((await row())?.renew_at)).toBeLessThanOrEqual(Date.now());
  });

  it("leaves an uploaded certificate alone: an order queued before the upload does nothing", async () => {
    // as the upload leaves the row: source upload, no task, no renewal, no ARI
    await repo.updateCertificate(s.svc.db.db, id, {
      source: "upload",
      task_id: null,
      renew_at: null,
      ari_next_at: null,
    });
    const order = await s.svc.engine.enqueue({
      kind: "certificate.issue",
      payload: { certificateId: id },
    });
    expect((await settleTask(s, order.task.id)).state).toBe("succeeded");
    expect(await taskLogText(s, order.task.id)).toMatch(
      /an uploaded certificate replaced this order: nothing to do/,
    );
    expect(await row()).toMatchObject({ source: "upload", serial: chain.serial, state: "active" });
  });
});
