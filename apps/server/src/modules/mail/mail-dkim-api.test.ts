// DKIM, SPF and DMARC through the panel, real components only: the panel with its worker, an
// agent enrolled through the public endpoint whose agent.json points at a hermetic Postfix +
// Dovecot with OpenDKIM as Postfix's milter, and at a hermetic PowerDNS serving the account's
// zone. A rotation makes the key on the node; the records land in the zone PowerDNS serves;
// a message submitted with AUTH verifies against the published key; the DNS check (through
// the panel's resolver setting) reports ok, missing and wrong; a domain without a managed zone
// gets its records to copy; a removed domain takes only Steward's records away.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { mailSection } from "@steward/agent/testing";
import { startMail, startPowerDns, verifyDkim } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const mail = await startMail({ managed: true, dkim: true, domains: ["base.test"] });
const pdns = mail ? await startPowerDns() : null;

describe.skipIf(!mail || !pdns)("DKIM, SPF and DMARC through the panel", () => {
  const m = mail as NonNullable<typeof mail>;
  const dns = pdns as NonNullable<typeof pdns>;
  const s = useServer("sqlite", { env: { STEWARD_MAIL_DNS_RESOLVERS: dns.resolver } });
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const D = "/api/v1/mail/domains";
  const Z = "/api/v1/dns/zones";
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  /** the zone's pending apply, if a change left one */
  const zoneServed = async (zoneId: string) => {
    const zone = (await api("GET", `${Z}/${zoneId}`)).body;
    if (zone.taskId) await settled(zone.taskId);
  };
  const records = async (zoneId: string) =>
    ((await api("GET", `${Z}/${zoneId}/records?limit=100`)).body.items ?? []) as {
      id: string;
      name: string;
      type: string;
      value: string;
    }[];
  const check = async (id: string) => {
    const r = await api("GET", `${D}/${id}/dns-check`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return Object.fromEntries(
      (r.body.records as { kind: string; fqdn: string; state: string }[]).map((x) => [
        `${x.kind} ${x.fqdn}`,
        x.state,
      ]),
    );
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "dkim-node",
      listen: "127.0.0.1",
      agentJson: {
        mail: mailSection(m),
        dns: {
          backend: "powerdns",
          query: dns.resolver,
          powerdns: { apiUrl: dns.apiUrl, apiKey: dns.apiKey, configDir: dns.configDir },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([m.stop(), dns.stop()]);
  });

  let zoneId = "";
  let domainId = "";
  const DOMAIN = "signed.test";
  const DAN = `dan@${DOMAIN}`;

  it("makes the key on the node, sets the records in the managed zone, and signs mail that verifies", async () => {
    const zone = await api("POST", Z, {
      name: DOMAIN,
      node: node?.id,
      account: w.a,
      // no mail records of the template's own: Steward's are the only ones
      template: { nameservers: ["ns1.example.net."], ipv4: "192.0.2.44", mail: false },
    });
    expect(zone.status, JSON.stringify(zone.body)).toBe(201);
    zoneId = zone.body.id;
    await settled(zone.body.taskId);
    const created = await api("POST", D, { name: DOMAIN, node: node?.id, account: w.a });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    domainId = created.body.id;
    const box = await api("POST", `${D}/${domainId}/mailboxes`, {
      localPart: "dan",
      password: "dan-password-123",
    });
    await settled(box.body.taskId);

    const before = await api("GET", `${D}/${domainId}/dkim`);
    expect(before.body).toMatchObject({ selector: null, publicKey: null, zoneId });
    // nothing published yet
    expect(await check(domainId)).toEqual({
      [`mx ${DOMAIN}`]: "missing",
      [`spf ${DOMAIN}`]: "missing",
      [`dmarc _dmarc.${DOMAIN}`]: "missing",
    });

    const rotated = await api("POST", `${D}/${domainId}/dkim/rotate`, { selector: "first" });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(202);
    expect(rotated.body).toMatchObject({ selector: "first", status: "pending", publicKey: null });
    await settled(rotated.body.taskId);
    await zoneServed(zoneId);
    const dkim = (await api("GET", `${D}/${domainId}/dkim`)).body;
    expect(dkim).toMatchObject({ selector: "first", status: "active", zoneId, lastError: null });
    expect(Buffer.from(dkim.publicKey, "base64").length).toBe(294);
    expect(JSON.stringify(dkim)).not.toMatch(/PRIVATE/);
    expect(dkim.records).toContainEqual({
      kind: "dkim",
      fqdn: `first._domainkey.${DOMAIN}`,
      type: "TXT",
      value: `v=DKIM1; k=rsa; p=${dkim.publicKey}`,
    });
    const dkimDir = join(m.managed?.configDir as string, "dkim", "keys", DOMAIN);
    expect(existsSync(join(dkimDir, "first.private"))).toBe(true);
    // no MX made: the node is reached by an address, not a name a MX could point at
    expect(await check(domainId)).toEqual({
      [`mx ${DOMAIN}`]: "missing",
      [`spf ${DOMAIN}`]: "ok",
      [`dkim first._domainkey.${DOMAIN}`]: "ok",
      [`dmarc _dmarc.${DOMAIN}`]: "ok",
    });

    await nodemailer
      .createTransport({
        host: m.host,
        port: m.ports.submission,
        requireTLS: true,
        tls: { ca: m.ca, servername: m.hostname },
        auth: { user: DAN, pass: "dan-password-123" },
      })
      .sendMail({ from: DAN, to: DAN, subject: "Signed by the panel's key", text: "hello" });
    const got = await m.waitForMessage({
      to: DAN,
      password: "dan-password-123",
      subject: "Signed by the panel's key",
    });
    expect(got.raw).toMatch(/^DKIM-Signature: .*d=signed\.test; s=first;/m);
    const verdict = await verifyDkim(got.raw, dns.resolver);
    expect(verdict.ok, verdict.output).toBe(true);
  });

  it("reports a record changed by hand as wrong, with what it expected and found", async () => {
    const dmarc = (await records(zoneId)).find((r) => r.name === "_dmarc");
    expect(dmarc?.value).toBe("v=DMARC1; p=none");
    const changed = await api("PATCH", `${Z}/${zoneId}/records/${dmarc?.id}`, {
      name: "_dmarc",
      type: "TXT",
      value: "v=DMARC1; p=reject",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const mx = await api("POST", `${Z}/${zoneId}/records`, {
      name: "@",
      type: "MX",
      value: "10 mail",
    });
    expect(mx.status, JSON.stringify(mx.body)).toBe(201);
    await zoneServed(zoneId);
    expect((await check(domainId))[`mx ${DOMAIN}`]).toBe("ok");
    const r = await api("GET", `${D}/${domainId}/dns-check`);
    expect(r.body.records.find((x: { kind: string }) => x.kind === "dmarc")).toMatchObject({
      state: "wrong",
      value: "v=DMARC1; p=none",
      found: ["v=DMARC1; p=reject"],
    });
  });

  it("rotates to a new selector, keeping the previous key published", async () => {
    const rotated = await api("POST", `${D}/${domainId}/dkim/rotate`, {});
    expect(rotated.status).toBe(202);
    expect(rotated.body.selector).toMatch(/^steward\d{6}$/);
    await settled(rotated.body.taskId);
    await zoneServed(zoneId);
    const dkim = (await api("GET", `${D}/${domainId}/dkim`)).body;
    expect(dkim).toMatchObject({ selector: rotated.body.selector, status: "active" });
    expect(dkim.retired).toEqual(["first"]);
    const states = await check(domainId);
    expect(states[`dkim first._domainkey.${DOMAIN}`]).toBe("ok");
    expect(states[`dkim ${rotated.body.selector}._domainkey.${DOMAIN}`]).toBe("ok");
    // a selector used before is refused, naming it
    const again = await api("POST", `${D}/${domainId}/dkim/rotate`, { selector: "first" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/first/);
  });

  it("sets SPF's -all and DMARC's report mailbox in the zone; refuses an address not of the domain", async () => {
    const set = await api("PATCH", `${D}/${domainId}/dkim`, { spfAll: "-all", dmarcReport: "dan" });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.policy).toEqual({ spfAll: "-all", dmarcPolicy: "none", dmarcReport: DAN });
    expect(set.body.records).toContainEqual(
      expect.objectContaining({ kind: "dmarc", value: `v=DMARC1; p=none; rua=mailto:${DAN}` }),
    );
    await settled(set.body.taskId);
    await zoneServed(zoneId);
    const spf = (await records(zoneId)).filter((r) => r.value.startsWith("v=spf1"));
    expect(spf.map((r) => r.value)).toEqual(["v=spf1 mx a -all"]);
    expect((await check(domainId))[`spf ${DOMAIN}`]).toBe("ok");
    const nobody = await api("PATCH", `${D}/${domainId}/dkim`, { dmarcReport: "nobody" });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.message).toBe(
      `body.dmarcReport: nobody@${DOMAIN} is no mailbox or alias of the domain`,
    );
  });

  it("keeps the DKIM of a domain from another account's callers, and lets readers read only", async () => {
    for (const path of [`${D}/${domainId}/dkim`, `${D}/${domainId}/dns-check`]) {
      expect((await api("GET", path, undefined, w.keys.otherAdmin)).status).toBe(404);
      expect((await api("GET", path, undefined, w.keys.reader)).status).toBe(200);
    }
    const rotate = await api("POST", `${D}/${domainId}/dkim/rotate`, {}, w.keys.reader);
    expect(rotate.status).toBe(403);
    const policy = await api("PATCH", `${D}/${domainId}/dkim`, { spfAll: "~all" }, w.keys.reader);
    expect(policy.status).toBe(403);
    const foreign = await api("POST", `${D}/${domainId}/dkim/rotate`, {}, w.keys.otherAdmin);
    expect(foreign.status).toBe(404);
  });

  it("gives the records to copy for a domain whose zone Steward does not manage", async () => {
    const created = await api("POST", D, { name: "unmanaged.test", node: node?.id, account: w.a });
    await settled(created.body.taskId);
    const rotated = await api("POST", `${D}/${created.body.id}/dkim/rotate`, {});
    await settled(rotated.body.taskId);
    const dkim = (await api("GET", `${D}/${created.body.id}/dkim`)).body;
    expect(dkim.zoneId).toBeNull();
    expect(dkim.records.map((r: { kind: string }) => r.kind)).toEqual([
      "mx",
      "spf",
      "dkim",
      "dmarc",
    ]);
    expect(await check(created.body.id)).toEqual({
      "mx unmanaged.test": "missing",
      "spf unmanaged.test": "missing",
      [`dkim ${dkim.selector}._domainkey.unmanaged.test`]: "missing",
      "dmarc _dmarc.unmanaged.test": "missing",
    });
  });

  it("takes Steward's records and keys away with the domain, and leaves the others", async () => {
    const removed = await api("DELETE", `${D}/${domainId}`);
    expect(removed.status).toBe(202);
    await settled(removed.body.taskId);
    const tasks = (await api("GET", `/api/v1/tasks?kind=mail.dkim&limit=5`)).body.items;
    for (const t of tasks) await settled(t.id);
    await zoneServed(zoneId);
    const left = await records(zoneId);
    expect(left.filter((r) => r.name.includes("_domainkey"))).toEqual([]);
    expect(left.some((r) => r.value.startsWith("v=spf1"))).toBe(false);
    // the DMARC record changed by hand is no longer Steward's: it stays; the MX added too
    expect(left.find((r) => r.name === "_dmarc")?.value).toBe("v=DMARC1; p=reject");
    expect(left.some((r) => r.type === "MX")).toBe(true);
    expect(existsSync(join(m.managed?.configDir as string, "dkim", "keys", DOMAIN))).toBe(false);
  });
});
