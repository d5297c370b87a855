// Certificates end to end, real components only: the panel (its worker running), an agent
// enrolled through the public endpoint with its own hermetic nginx (127.0.0.2), and pebble as
// the ACME CA, whose DNS answers every name with 127.0.0.2 and whose http-01 validation asks
// that nginx. A site gets a certificate by http-01 and a TLS handshake serves its serial;
// a forced expiry renews and re-installs; a blocked challenge fails with a message a person
// can act on; hostile input is refused naming the field. A wildcard certificate is issued by
// dns-01 through the Cloudflare fake (which publishes its TXT records to pebble's DNS).
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deleteTestUsers, nginxSection } from "@steward/agent/testing";
import { freePort, httpGet, startCloudflareFake, startNginx, startPebble } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedCertificate } from "../../testing/handshake.ts";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { updateCertificate } from "./repo.ts";

const nginx = await startNginx({ listen: "127.0.0.2" });
const pebble = nginx ? await startPebble({ httpPort: nginx.port, address: "127.0.0.2" }) : null;
const httpsPort = await freePort();
const CF_TOKEN = "cf-token-0123456789abcdefghij";
const cloudflare = await startCloudflareFake({
  zones: ["example.test", "unrelated.test"],
  tokens: { [CF_TOKEN]: {} },
  publishTxt: async (name, values) => pebble?.setTxt(name, values),
});

/** The chain nginx serves for `name` on the HTTPS port, and whether pebble's root vouches for it. */
const handshake = (name: string, ca?: string) =>
  servedCertificate({ host: "127.0.0.2", port: httpsPort, servername: name, ca });

describe.skipIf(!nginx || !pebble)("certificates by ACME http-01 against pebble", () => {
  const s = useServer("sqlite", {
    env: {
      STEWARD_ACME_DIRECTORY: pebble?.directory ?? "",
      STEWARD_ACME_CA_FILE: pebble?.caFile ?? "",
      STEWARD_CLOUDFLARE_API: cloudflare.base,
      STEWARD_ACME_DNS_RESOLVERS: pebble?.dnsServer ?? "",
      // the fake listens on loopback, which the outbound policy refuses unless allowed
      STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
    },
  });
  const w = useWorld(s);
  let node: RealNode | null = null;
  let nodeId = "";
  const settle = (taskId: string) => settleTask(s, taskId, 60_000);
  const logsOf = (taskId: string) => taskLogText(s, taskId);
  const api = (
    method: "GET" | "POST" | "DELETE",
    url: string,
    body?: unknown,
    key = w.keys.super,
  ) => s.request(method, url, { key, ...(body === undefined ? {} : { body }) });

  async function siteWithCertificate(domains: string[], aliases: string[] = []) {
    const site = await api("POST", "/api/v1/sites", {
      node: nodeId,
      domains,
      aliases,
      kind: "static",
      account: w.a,
    });
    expect(site.status).toBe(201);
    expect((await settle(site.body.taskId)).state).toBe("succeeded");
    const cert = await api("POST", "/api/v1/certificates", { site: site.body.id });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    return { siteId: site.body.id as string, cert: cert.body };
  }

  beforeAll(async () => {
    if (!nginx) return;
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "web-tls",
      nginx,
      agentJson: { nginx: { ...nginxSection(nginx), httpsPort } },
    });
    nodeId = node.id;
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await nginx?.stop();
    await pebble?.stop();
    await cloudflare.stop();
    deleteTestUsers();
  });

  it("issues a certificate by http-01: installed on the node, served over TLS with its serial", async () => {
    const { cert } = await siteWithCertificate(["shop.example.test"], ["old-shop.example.test"]);
    expect(cert).toMatchObject({
      state: "pending",
      names: ["shop.example.test", "old-shop.example.test"],
    });
    const task = await settle(cert.taskId);
    expect(task.state, await logsOf(task.id)).toBe("succeeded");
    const got = await api("GET", `/api/v1/certificates/${cert.id}`);
    expect(got.body).toMatchObject({ state: "active", lastError: null, keyType: "ecdsa-p256" });
    expect(got.body.daysLeft).toBeGreaterThan(0);
    expect(Date.parse(got.body.renewAt)).toBeLessThan(Date.parse(got.body.notAfter));
    const root = await pebble?.root();
    for (const name of ["shop.example.test", "old-shop.example.test"]) {
      const tls = await handshake(name, root);
      expect(tls.serial, name).toBe(got.body.serial);
      expect(tls.authorized, name).toBe(true);
    }
    const http = await httpGet({
      address: "127.0.0.2",
      port: nginx?.port ?? 0,
      host: "shop.example.test",
      path: "/a?b=1",
    });
    expect(http.status).toBe(301);
    expect(http.headers.location).toBe(`https://shop.example.test:${httpsPort}/a?b=1`);
    // the key never left the node: the panel has the account's key only, sealed
    const accounts = await s.svc.db.db.selectFrom("acme_accounts").selectAll().execute();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.key_enc).toMatch(/^v1:/);
    const leaf = new X509Certificate(
      readFileSync(join(node?.web ?? "", "tls", cert.siteId, "fullchain.pem")),
    );
    expect(leaf.serialNumber.toUpperCase()).toBe(got.body.serial);
    const taskRows = await s.svc.db.db.selectFrom("task_logs").select("message").execute();
    expect(taskRows.some((r) => r.message.includes("PRIVATE KEY"))).toBe(false);
  });

  it("renews a certificate forced to expire: the daily scan re-installs and a new serial is served", async () => {
    const list = await api("GET", "/api/v1/certificates?state=active");
    const before = list.body.items[0];
    expect(before?.serial).toBeTruthy();
    const now = Date.now();
    await updateCertificate(s.svc.db.db, before.id, {
      not_after: now + 3_600_000,
      renew_at: now - 1,
    });
    // the daily scan (installed with the first super user) runs now, once
    const scan = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${scan.task.id}/run`)).status).toBe(200);
    const end = Date.now() + 30_000;
    let after = before;
    while (Date.now() < end) {
      after = (await api("GET", `/api/v1/certificates/${before.id}`)).body;
      if (after.state === "active" && after.serial !== before.serial) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const tasks = await s.svc.db.db
      .selectFrom("tasks")
      .select(["id", "kind", "state", "last_error"])
      .where("kind", "like", "certificate.%")
      .execute();
    expect(after.serial, JSON.stringify({ after, tasks })).not.toBe(before.serial);
    expect((await handshake("shop.example.test")).serial).toBe(after.serial);
    expect(await logsOf(scan.task.id)).toMatch(
      /the certificate of shop\.example\.test expires in 0 days/,
    );
    expect(await s.svc.db.db.selectFrom("acme_accounts").selectAll().execute()).toHaveLength(1);
  }, 90_000);

  it("plans HTTPS with a new site and orders it once its names resolve; HTTP only plans none", async () => {
    const make = async (domain: string, https?: boolean) => {
      const r = await api("POST", "/api/v1/sites", {
        node: nodeId,
        domains: [domain],
        kind: "static",
        account: w.a,
        ...(https === undefined ? {} : { https }),
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const planned = await make("later.example.test");
    const plain = await make("plain.example.test", false);
    const [mine, none] = await Promise.all(
      [planned, plain].map(
        async (site) => (await api("GET", `/api/v1/certificates?site=${site}`)).body.items,
      ),
    );
    expect(none).toEqual([]);
    expect(mine).toMatchObject([{ state: "pending", taskId: null, names: ["later.example.test"] }]);
    // the panel's resolver does not know the test names: the scan leaves it waiting, and says so
    const scan = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${scan.task.id}/run`)).status).toBe(200);
    const end = Date.now() + 20_000;
    let got = mine[0];
    while (Date.now() < end && !got.lastError) {
      await new Promise((r) => setTimeout(r, 200));
      got = (await api("GET", `/api/v1/certificates/${got.id}`)).body;
    }
    expect(got).toMatchObject({ state: "pending", taskId: null });
    expect(got.lastError).toMatch(/^waiting for DNS: later\.example\.test does not resolve yet/);
  });

  it("fails a blocked challenge with a message a person can act on, and the site keeps serving", async () => {
    await pebble?.setA("blocked.example.test", "127.0.0.9");
    const { siteId, cert } = await siteWithCertificate(["blocked.example.test"]);
    const task = await settle(cert.taskId);
    expect(task.state).toBe("failed");
    const got = await api("GET", `/api/v1/certificates/${cert.id}`);
    expect(got.body.state).toBe("failed");
    expect(got.body.lastError).toMatch(
      /port 80 of blocked\.example\.test could not be reached by the CA/,
    );
    expect(got.body.lastError).toMatch(/check that DNS points blocked\.example\.test at this node/);
    expect(Date.parse(got.body.renewAt)).toBeGreaterThan(Date.now());
    // the failure raised certificate.failed for the notification rules, with the same reason
    const events = await api("GET", "/api/v1/events?type=certificate.failed");
    expect(events.body.items).toMatchObject([
      {
        type: "certificate.failed",
        severity: "critical",
        accountId: w.a,
        target: { type: "site", id: siteId, name: "blocked.example.test" },
        fields: {
          domain: "blocked.example.test",
          challenge: "http-01",
          error: got.body.lastError,
          failures: 1,
          retryAt: got.body.renewAt,
        },
      },
    ]);
    const page = await httpGet({
      address: "127.0.0.2",
      port: nginx?.port ?? 0,
      host: "blocked.example.test",
    });
    expect(page.status).toBe(200);
    const site = await api("GET", `/api/v1/sites/${siteId}`);
    expect(site.body.status).toBe("active");
  });

  it("lists in expiry order within what the caller may see", async () => {
    const all = await api("GET", "/api/v1/certificates?sort=expires");
    expect(all.status).toBe(200);
    const times = all.body.items.map((c: { notAfter: string | null }) =>
      c.notAfter ? Date.parse(c.notAfter) : 0,
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      (await api("GET", "/api/v1/certificates", undefined, w.keys.accountAdmin)).body.items.length,
    ).toBe(all.body.items.length);
    expect(
      (await api("GET", "/api/v1/certificates", undefined, w.keys.otherAdmin)).body.items,
    ).toEqual([]);
    const one = all.body.items[0];
    expect(
      (await api("GET", `/api/v1/certificates/${one.id}`, undefined, w.keys.otherAdmin)).status,
    ).toBe(404);
    expect(
      (await api("POST", `/api/v1/certificates/${one.id}/renew`, undefined, w.keys.reader)).status,
    ).toBe(403);
  });

  it("removes a deleted site's certificate, on the node and in the panel", async () => {
    const list = await api("GET", "/api/v1/certificates?state=active");
    const cert = list.body.items[0];
    const deleted = await api("DELETE", `/api/v1/sites/${cert.siteId}`);
    expect(deleted.status).toBe(202);
    expect((await settle(deleted.body.taskId)).state).toBe("succeeded");
    expect((await api("GET", `/api/v1/certificates/${cert.id}`)).status).toBe(404);
    expect(existsSync(join(node?.web ?? "", "tls", cert.siteId))).toBe(false);
  });

  it("refuses hostile input, naming the field", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["/api/v1/certificates", { site: "../etc" }, /site/],
      ["/api/v1/certificates", { site: "site_x", keyType: "dsa-1024" }, /keyType/],
      ["/api/v1/certificates", { site: "site_x", hsts: "yes" }, /hsts/],
      ["/api/v1/certificates", { site: "site_x", names: ["evil.test"] }, /names|Unrecognized/i],
    ];
    for (const [url, body, field] of cases) {
      const r = await api("POST", url, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(body)).toMatch(field);
    }
    for (const q of ["sort=-bogus", "state=valid", "site=a%0Ab"]) {
      const r = await api("GET", `/api/v1/certificates?${q}`);
      expect(r.status, q).toBe(400);
    }
  });

  it("issues a wildcard certificate by dns-01 through Cloudflare: served over TLS, the records made and removed", async () => {
    const provider = await api("POST", "/api/v1/dns-providers", {
      account: w.a,
      name: "main",
      token: CF_TOKEN,
      zones: ["example.test"],
    });
    expect(provider.status, JSON.stringify(provider.body)).toBe(201);
    expect(provider.body).toMatchObject({ kind: "cloudflare", zones: ["example.test"] });
    expect(JSON.stringify(provider.body)).not.toContain(CF_TOKEN);
    const site = await api("POST", "/api/v1/sites", {
      node: nodeId,
      domains: ["wild.example.test"],
      kind: "static",
      account: w.a,
      https: false,
    });
    expect((await settle(site.body.taskId)).state).toBe("succeeded");
    // http-01 cannot validate a wildcard: refused, naming the field
    const refused = await api("POST", "/api/v1/certificates", {
      site: site.body.id,
      wildcard: true,
      challenge: "http-01",
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/challenge.*needs dns-01/);
    const before = cloudflare.requests.length;
    const cert = await api("POST", "/api/v1/certificates", { site: site.body.id, wildcard: true });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    expect(cert.body).toMatchObject({
      names: ["wild.example.test", "*.wild.example.test"],
      wildcard: true,
      challenge: null,
    });
    const task = await settle(cert.body.taskId);
    expect(task.state, await logsOf(task.id)).toBe("succeeded");
    expect(await logsOf(task.id)).toMatch(/answering 2 dns-01 challenge\(s\)/);
    const got = (await api("GET", `/api/v1/certificates/${cert.body.id}`)).body;
    expect(got).toMatchObject({ state: "active", lastError: null });
    const tls = await handshake("wild.example.test", await pebble?.root());
    expect(tls).toEqual({ serial: got.serial, authorized: true });
    const leaf = new X509Certificate(
      readFileSync(join(node?.web ?? "", "tls", site.body.id, "fullchain.pem")),
    );
    expect(leaf.subjectAltName).toContain("DNS:*.wild.example.test");
    // exactly two TXT records made (the name's and the wildcard's) and both removed
    const writes = cloudflare.requests
      .slice(before)
      .filter((r) => r.method !== "GET")
      .map((r) => [r.method, r.status, (r.body as { name?: string } | null)?.name ?? null]);
    expect(writes).toEqual([
      ["POST", 200, "_acme-challenge.wild.example.test"],
      ["POST", 200, "_acme-challenge.wild.example.test"],
      ["DELETE", 200, null],
      ["DELETE", 200, null],
    ]);
    expect(cloudflare.records()).toEqual([]);
    // a wildcard outside every provider's zones is refused at once, naming the field
    const outside = await api("POST", "/api/v1/sites", {
      node: nodeId,
      domains: ["shop.elsewhere.test"],
      kind: "static",
      account: w.a,
      https: false,
    });
    const none = await api("POST", "/api/v1/certificates", {
      site: outside.body.id,
      wildcard: true,
    });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toMatch(/wildcard.*needs a DNS provider/);
    expect((await settle(outside.body.taskId)).state).toBe("succeeded");
  }, 90_000);
});
