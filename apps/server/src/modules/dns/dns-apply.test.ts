// DNS zones end to end, real components only: the panel with its worker, an agent enrolled
// through the public endpoint whose agent.json points at a hermetic PowerDNS; a zone created
// through the API is served (checked with dig), a record change is served with the next
// serial, and the dns-01 hook puts a challenge's TXT record up and takes it down again.
import { execFileSync } from "node:child_process";
import { startNginx, startPowerDns } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { presentTxt, removeTxt } from "./acme.ts";

const nginx = await startNginx({ listen: "127.0.0.3" });
const pdns = nginx ? await startPowerDns() : null;

const dig = (name: string, type: string) =>
  pdns
    ? execFileSync("dig", ["@127.0.0.1", "-p", String(pdns.port), "+short", "+norec", name, type])
        .toString()
        .trim()
    : "";

describe.skipIf(!nginx || !pdns)("DNS zones served by PowerDNS through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  const Z = "/api/v1/dns/zones";
  const api = (method: string, url: string, body?: unknown) =>
    s.request(method, url, { key: w.keys.super, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };

  beforeAll(async () => {
    if (!nginx || !pdns) return;
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "dns-node",
      nginx,
      agentJson: {
        dns: {
          backend: "powerdns",
          query: pdns.resolver,
          powerdns: { apiUrl: pdns.apiUrl, apiKey: pdns.apiKey, configDir: pdns.configDir },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await Promise.all([nginx?.stop(), pdns?.stop()]);
  });

  let zoneId = "";
  it("serves a zone created from a template, and a record change with the next serial", async () => {
    const created = await api("POST", Z, {
      name: "served.example.test",
      node: node?.id,
      account: w.a,
      template: { nameservers: ["ns1.example.net."], ipv4: "192.0.2.44" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    zoneId = created.body.id;
    await settled(created.body.taskId);
    expect(dig("www.served.example.test", "A")).toBe("192.0.2.44");
    expect(dig("served.example.test", "MX")).toBe("10 mail.served.example.test.");
    const zone = (await api("GET", `${Z}/${zoneId}`)).body;
    expect(zone).toMatchObject({
      status: "active",
      backend: "powerdns",
      appliedSerial: zone.serial,
      lastError: null,
    });
    const added = await api("POST", `${Z}/${zoneId}/records`, {
      name: "api",
      type: "AAAA",
      value: "2001:db8::44",
    });
    await settled(added.body.zone.taskId);
    expect(dig("api.served.example.test", "AAAA")).toBe("2001:db8::44");
    expect(dig("served.example.test", "SOA").split(" ")[2]).toBe(String(zone.serial + 1));
    // a PowerDNS primary cannot have secondaries yet (the agent would refuse its transfers)
    const secondary = await api("POST", `${Z}/${zoneId}/secondaries`, { node: node?.id });
    expect(secondary.status).toBe(400);
    expect(secondary.body.error.message).toMatch(/^body\.node: this zone is served by PowerDNS/);
  });

  it("signs the zone: RRSIGs served, the DS shown is pdnsutil's export-zone-ds", async () => {
    const signed = await api("POST", `${Z}/${zoneId}/dnssec`, { enabled: true });
    expect(signed.status, JSON.stringify(signed.body)).toBe(202);
    await settled(signed.body.taskId);
    const zone = (await api("GET", `${Z}/${zoneId}`)).body;
    expect(zone.dnssec.enabled).toBe(true);
    expect(zone.dnssec.dnskeys[0]).toMatch(/^257 3 13 /);
    const exported = execFileSync(pdns?.pdnsutil ?? "", [
      `--config-dir=${pdns?.configDir}`,
      "export-zone-ds",
      "served.example.test",
    ]).toString();
    const ds = exported
      .split("\n")
      .filter(Boolean)
      .map((line) => line.replace(/ ; .*$/, "").split(/\s+IN\s+DS\s+/)[1]);
    expect(zone.dnssec.ds).toEqual(ds);
    const answer = execFileSync("dig", [
      ...["@127.0.0.1", "-p", String(pdns?.port), "+dnssec", "+norec"],
      ...["www.served.example.test", "A"],
    ]).toString();
    expect(answer).toMatch(/RRSIG\s+A 13 /);
  });

  it("presents a dns-01 TXT record for a wildcard and removes it", async () => {
    const deps = { db: s.svc.db, engine: s.svc.engine };
    const challenge = {
      accountId: w.a,
      fqdn: "*.shop.served.example.test",
      value: "token-value_0123456789",
    };
    const presented = await presentTxt(deps, { ...challenge, resolver: pdns?.resolver });
    expect(presented.fqdn).toBe("_acme-challenge.shop.served.example.test");
    expect(dig(presented.fqdn, "TXT")).toBe('"token-value_0123456789"');
    // a second name's challenge at the same place (example.com and *.example.com) adds a value
    await presentTxt(deps, { ...challenge, fqdn: "shop.served.example.test", value: "second" });
    expect(dig(presented.fqdn, "TXT").split("\n").sort()).toEqual([
      '"second"',
      '"token-value_0123456789"',
    ]);
    await removeTxt(deps, challenge);
    await removeTxt(deps, { ...challenge, value: "second" });
    expect(dig(presented.fqdn, "TXT")).toBe("");
    await expect(presentTxt(deps, { ...challenge, accountId: w.b })).rejects.toThrow(
      /no DNS zone of this account covers/,
    );
  });

  it("stops serving a deleted zone", async () => {
    const deleted = await api("DELETE", `${Z}/${zoneId}`);
    await settled(deleted.body.taskId);
    expect(dig("www.served.example.test", "A")).toBe("");
    expect((await api("GET", `${Z}/${zoneId}`)).status).toBe(404);
  });
});
