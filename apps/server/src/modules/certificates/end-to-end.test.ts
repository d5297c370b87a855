// Issue 13's "done when" for certificates, end to end with real components only: the panel
// (its worker running), an agent enrolled through the public endpoint with its own hermetic
// nginx (127.0.0.5) and PowerDNS, and pebble as the ACME CA resolving every name through that
// PowerDNS — so the zone Steward manages is what the CA sees: the sites' A records (added by
// `dnsRecords`) and the dns-01 TXT records. A site gets a certificate by http-01, a wildcard by
// dns-01 through the managed zone; a forced expiry is renewed by the daily scan and the new
// serial is served; a challenge blocked by DNS pointing elsewhere fails in words and raises
// `certificate.failed`. An uploaded certificate (a chain of a test root) is checked, installed
// and served, its key kept on the node only, warned about before expiry and never renewed;
// bad uploads change nothing; an ACME certificate replaces it later.
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { nginxSection } from "@steward/agent/testing";
import {
  freePort,
  startNginx,
  startPebble,
  startPowerDns,
  type TestChain,
  testChain,
} from "@steward/testkit";
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
  const api = (method: "GET" | "POST", url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
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
  }, 120_000);

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

  // --- uploaded certificates ---
  const UPLOAD = `upload.${ZONE}`;
  let uploadSite = "";
  let uploaded: TestChain;
  const upload = (chain: TestChain, over: Record<string, unknown> = {}, key = w.keys.super) =>
    api(
      "POST",
      "/api/v1/certificates/upload",
      {
        site: uploadSite,
        certificate: chain.leaf,
        chain: chain.intermediate,
        key: chain.key,
        ...over,
      },
      key,
    );
  const servedFile = () =>
    new X509Certificate(
      readFileSync(join(node?.web ?? "", "tls", uploadSite, "fullchain.pem")),
    ).serialNumber.toUpperCase();

  it("installs an uploaded certificate: served with its chain, the key on the node only", async () => {
    uploadSite = await site(UPLOAD, ADDRESS);
    uploaded = await testChain({ hosts: [UPLOAD] });
    expect((await upload(uploaded, {}, w.keys.reader)).status).toBe(403);
    expect((await upload(uploaded, {}, w.keys.otherAdmin)).status).toBe(404);
    const r = await upload(uploaded, { hsts: true });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      source: "upload",
      state: "active",
      serial: uploaded.serial,
      keyType: "ecdsa-p256",
      renewAt: null,
      hsts: true,
      names: [UPLOAD],
    });
    expect(JSON.stringify(r.body)).not.toContain("PRIVATE KEY");
    // the whole chain is served: a client trusting only the root accepts it
    expect(await handshake(UPLOAD, uploaded.root)).toEqual({
      serial: uploaded.serial,
      authorized: true,
    });
    // the key is nowhere in the panel's database (rows of every table that takes free text)
    const keyLine = uploaded.key.split("\n")[1] ?? "";
    for (const table of ["certificates", "audit_events", "tasks", "task_logs", "events"] as const) {
      const rows = await s.svc.db.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(keyLine);
    }
  }, 120_000);

  it("refuses bad uploads naming the field, changing nothing on the panel or the node", async () => {
    const before = (await api("GET", `/api/v1/certificates?site=${uploadSite}`)).body.items[0];
    const other = await testChain({ hosts: [UPLOAD] });
    const DAY = 86_400_000;
    const expired = await testChain({
      hosts: [UPLOAD],
      notBefore: new Date(Date.now() - 90 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const early = await testChain({ hosts: [UPLOAD], notBefore: new Date(Date.now() + DAY) });
    const elsewhere = await testChain({ hosts: [`other.${ZONE}`] });
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      [
        "garbage PEM",
        { certificate: "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----" },
        "body.certificate",
        /not a valid X\.509/,
      ],
      [
        "another certificate's key",
        { key: other.key },
        "body.key",
        /not the key of this certificate/,
      ],
      [
        "expired",
        { certificate: expired.leaf, chain: expired.intermediate, key: expired.key },
        "body.certificate",
        /expired on/,
      ],
      [
        "not yet valid",
        { certificate: early.leaf, chain: early.intermediate, key: early.key },
        "body.certificate",
        /not valid yet/,
      ],
      [
        "names not covering",
        { certificate: elsewhere.leaf, chain: elsewhere.intermediate, key: elsewhere.key },
        "body.certificate",
        /does not cover upload\.acme\.test/,
      ],
      [
        "a chain with a loop",
        { chain: `${uploaded.intermediate}${uploaded.root}${uploaded.intermediate}` },
        "body.chain",
        /twice: the chain loops/,
      ],
      [
        "a chain out of order",
        { chain: `${uploaded.root}${uploaded.intermediate}` },
        "body.chain",
        /not signed by the next one/,
      ],
      [
        "another CA's intermediate",
        { chain: other.intermediate },
        "body.chain",
        /not signed by the next one/,
      ],
      [
        "a 1 MB blob",
        { key: `-----BEGIN PRIVATE KEY-----\n${"A".repeat(1_000_000)}` },
        "body.key",
        /64 KiB/,
      ],
    ];
    for (const [what, over, field, message] of cases) {
      const r = await upload(uploaded, over);
      expect(r.status, what).toBe(400);
      expect(r.body.error.details?.[0]?.field, what).toBe(field);
      expect(r.body.error.message, what).toMatch(message);
    }
    const after = (await api("GET", `/api/v1/certificates/${before.id}`)).body;
    expect(after).toEqual(before);
    expect(servedFile()).toBe(uploaded.serial);
    expect((await handshake(UPLOAD)).serial).toBe(uploaded.serial);
  }, 120_000);

  it("warns about an uploaded certificate's expiry and never renews it", async () => {
    const cert = (await api("GET", `/api/v1/certificates?site=${uploadSite}`)).body.items[0];
    await updateCertificate(s.svc.db.db, cert.id, { not_after: Date.now() + 6 * 86_400_000 });
    const scan = await s.svc.engine.enqueue({ kind: "certificate.scan", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${scan.task.id}/run`)).status).toBe(200);
    // the scan is recurring (one task, waiting for the next day once run): its last summary
    const summary = async () =>
      (await taskLogText(s, scan.task.id))
        .split("\n")
        .filter((line) => line.includes("renewal(s) enqueued"))
        .at(-1);
    await expect.poll(summary).toBe("0 renewal(s) enqueued, 1 expiry warning(s)");
    expect(await taskLogText(s, scan.task.id)).toMatch(
      /the certificate of upload\.acme\.test expires in 5 days/,
    );
    const events = (await api("GET", "/api/v1/events?type=certificate.expiring")).body.items;
    const mine = events.filter((e: { target: { id: string } }) => e.target.id === uploadSite);
    expect(mine).toMatchObject([
      { severity: "critical", target: { id: uploadSite }, fields: { domain: UPLOAD, daysLeft: 5 } },
    ]);
    const after = (await api("GET", `/api/v1/certificates/${cert.id}`)).body;
    expect(after).toMatchObject({ source: "upload", serial: uploaded.serial, taskId: null });
  });

  it("replaces an uploaded certificate by an ACME one when asked", async () => {
    const cert = await api("POST", "/api/v1/certificates", {
      site: uploadSite,
      challenge: "http-01",
    });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    await succeeded(cert.body.taskId);
    const got = (await api("GET", `/api/v1/certificates/${cert.body.id}`)).body;
    expect(got).toMatchObject({ source: "acme", state: "active", keyType: "ecdsa-p256" });
    expect(got.serial).not.toBe(uploaded.serial);
    expect(Date.parse(got.renewAt)).toBeGreaterThan(Date.now());
    expect(await handshake(UPLOAD, await pebble?.root())).toEqual({
      serial: got.serial,
      authorized: true,
    });
  }, 120_000);
});
