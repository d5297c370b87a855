// Issue 13's "done when" for certificates, end to end with real components only: the panel
// (its worker running), an agent enrolled through the public endpoint with its own hermetic
// nginx (127.0.0.5) and PowerDNS, and pebble as the ACME CA resolving every name through that
// PowerDNS — so the zone Steward manages is what the CA sees: the sites' A records (added by
// `dnsRecords`) and the dns-01 TXT records. A site gets a certificate by http-01, a wildcard by
// dns-01 through the managed zone; a forced expiry is renewed by the daily scan and the new
// serial is served; a challenge blocked by DNS pointing elsewhere fails in words and raises
// `certificate.failed`.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nginxSection } from "@steward/agent/testing";
import { freePort, startNginx, startPebble, startPowerDns } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedCertificate } from "../../testing/handshake.ts";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { updateCertificate } from "./repo.ts";

const ADDRESS = "127.0.0.5";
const ZONE = "acme.test";
const nginx = await startNginx({ listen: ADDRESS });
const pdns = nginx ? await startPowerDns() : null;
const pebble =
  nginx && pdns
    ? await startPebble({ httpPort: nginx.port, address: ADDRESS, dnsServer: pdns.resolver })
    : null;
const httpsPort = await freePort();

const handshake = (name: string, ca?: string) =>
  servedCertificate({ host: ADDRESS, port: httpsPort, servername: name, ca });

describe.skipIf(!nginx || !pdns || !pebble)("certificates through a zone Steward manages", () => {
  const s = useServer("sqlite", {
    env: {
      STEWARD_ACME_DIRECTORY: pebble?.directory ?? "",
      STEWARD_ACME_CA_FILE: pebble?.caFile ?? "",
      STEWARD_ACME_DNS_RESOLVERS: pdns?.resolver ?? "",
    },
  });
  const w = useWorld(s);
  let node: RealNode | null = null;
  let zoneId = "";
  const api = (method: "GET" | "POST", url: string, body?: unknown) =>
    s.request(method, url, { key: w.keys.super, ...(body === undefined ? {} : { body }) });
  const succeeded = async (taskId: string) => {
    const task = await settleTask(s, taskId, 90_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  /** Waits until the zone's last change is served by PowerDNS. */
  const zoneServed = async () => {
    await expect
      .poll(async () => {
        const zone = (await api("GET", `/api/v1/dns/zones/${zoneId}`)).body;
        return zone.status === "active" && zone.appliedSerial === zone.serial;
      })
      .toBe(true);
  };
  const site = async (domain: string, ipv4: string) => {
    const made = await api("POST", "/api/v1/sites", {
      node: node?.id,
      domains: [domain],
      kind: "static",
      account: w.a,
      https: false,
      dnsRecords: { ipv4 },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await succeeded(made.body.taskId);
    await zoneServed();
    return made.body.id as string;
  };
  const challengeRecords = async () =>
    (await api("GET", `/api/v1/dns/zones/${zoneId}/records`)).body.items.filter(
      (r: { name: string }) => r.name.startsWith("_acme-challenge"),
    );

  beforeAll(async () => {
    if (!nginx || !pdns) return;
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "web-dns",
      nginx,
      agentJson: {
        nginx: { ...nginxSection(nginx), httpsPort },
        dns: {
          backend: "powerdns",
          query: pdns.resolver,
          powerdns: { apiUrl: pdns.apiUrl, apiKey: pdns.apiKey, configDir: pdns.configDir },
        },
      },
    });
    const zone = await api("POST", "/api/v1/dns/zones", {
      name: ZONE,
      node: node.id,
      account: w.a,
      template: { nameservers: [`ns1.${ZONE}.`], ipv4: ADDRESS, mail: false },
    });
    expect(zone.status, JSON.stringify(zone.body)).toBe(201);
    zoneId = zone.body.id;
    await succeeded(zone.body.taskId);
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([nginx?.stop(), pebble?.stop(), pdns?.stop()]);
  });

  it("issues by http-01 a site whose name the managed zone points at its node", async () => {
    const siteId = await site(`shop.${ZONE}`, ADDRESS);
    const cert = await api("POST", "/api/v1/certificates", { site: siteId, challenge: "http-01" });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    await succeeded(cert.body.taskId);
    const got = (await api("GET", `/api/v1/certificates/${cert.body.id}`)).body;
    expect(got).toMatchObject({ state: "active", challenge: "http-01", lastError: null });
    expect(await handshake(`shop.${ZONE}`, await pebble?.root())).toEqual({
      serial: got.serial,
      authorized: true,
    });
  });

  let wildcardId = "";
  it("issues a wildcard by dns-01 through the managed PowerDNS zone, its TXT records removed", async () => {
    const siteId = await site(`wild.${ZONE}`, ADDRESS);
    const cert = await api("POST", "/api/v1/certificates", { site: siteId, wildcard: true });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    wildcardId = cert.body.id;
    await succeeded(cert.body.taskId);
    const log = await taskLogText(s, cert.body.taskId);
    expect(log).toMatch(/answering 2 dns-01 challenge\(s\)/);
    expect(log).toMatch(/visible through Steward DNS zones/);
    const got = (await api("GET", `/api/v1/certificates/${wildcardId}`)).body;
    expect(got).toMatchObject({ state: "active", names: [`wild.${ZONE}`, `*.wild.${ZONE}`] });
    expect(await handshake(`wild.${ZONE}`, await pebble?.root())).toEqual({
      serial: got.serial,
      authorized: true,
    });
    const leaf = new X509Certificate(
      readFileSync(join(node?.web ?? "", "tls", siteId, "fullchain.pem")),
    );
    expect(leaf.subjectAltName).toContain(`DNS:*.wild.${ZONE}`);
    await zoneServed();
    expect(await challengeRecords()).toEqual([]);
  }, 120_000);

  it("renews the wildcard forced to expire: the daily scan re-installs, the new serial is served", async () => {
    const before = (await api("GET", `/api/v1/certificates/${wildcardId}`)).body;
    const now = Date.now();
    await updateCertificate(s.svc.db.db, wildcardId, {
      not_after: now + 3_600_000,
      renew_at: now - 1,
    });
    const scan = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${scan.task.id}/run`)).status).toBe(200);
    await expect
      .poll(async () => (await api("GET", `/api/v1/certificates/${wildcardId}`)).body, {
        timeout: 90_000,
      })
      .toMatchObject({ state: "active", lastError: null });
    const after = (await api("GET", `/api/v1/certificates/${wildcardId}`)).body;
    expect(after.serial).not.toBe(before.serial);
    expect(after.daysLeft).toBeGreaterThan(1);
    expect((await handshake(`wild.${ZONE}`)).serial).toBe(after.serial);
    expect(await taskLogText(s, scan.task.id)).toMatch(/1 renewal\(s\) enqueued/);
    expect(await challengeRecords()).toEqual([]);
  }, 120_000);

  it("fails a challenge blocked by DNS pointing elsewhere, in words, with certificate.failed", async () => {
    const siteId = await site(`blocked.${ZONE}`, "127.0.0.9");
    const cert = await api("POST", "/api/v1/certificates", { site: siteId, challenge: "http-01" });
    const task = await settleTask(s, cert.body.taskId, 90_000);
    expect(task.state).toBe("failed");
    const got = (await api("GET", `/api/v1/certificates/${cert.body.id}`)).body;
    expect(got.state).toBe("failed");
    expect(got.lastError).toMatch(/port 80 of blocked\.acme\.test could not be reached by the CA/);
    expect(got.lastError).toMatch(/check that DNS points blocked\.acme\.test at this node/);
    const events = await api("GET", "/api/v1/events?type=certificate.failed");
    expect(events.body.items).toMatchObject([
      {
        type: "certificate.failed",
        severity: "critical",
        target: { type: "site", id: siteId, name: `blocked.${ZONE}` },
        fields: { challenge: "http-01", error: got.lastError, failures: 1 },
      },
    ]);
  }, 120_000);
});
