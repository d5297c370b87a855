// dns.zone.apply and dns.zone.remove through a real agent (mTLS, the operation route) against
// a hermetic BIND and a hermetic PowerDNS: answers checked with dig, named-checkzone's
// complaints mapped to records, hostile values refused at the agent's wall, an identical
// re-apply changes nothing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { checkZone, type DnsRecord } from "@steward/contracts/dns";
import { startDns, startPowerDns } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";

const bind = await startDns({ zones: { "static.test": [] }, control: true });
const pdns = await startPowerDns();
const bindAgent = bind
  ? await startTestAgent({
      dns: {
        backend: "bind",
        query: bind.resolver,
        bind: { zoneDir: bind.zoneDir, rndcConf: bind.rndcConf },
      },
    })
  : null;
const pdnsAgent = pdns
  ? await startTestAgent({
      dns: {
        backend: "powerdns",
        query: pdns.resolver,
        powerdns: { apiUrl: pdns.apiUrl, apiKey: pdns.apiKey, configDir: pdns.configDir },
      },
    })
  : null;
const noDns = await startTestAgent();

afterAll(async () => {
  await Promise.all([bindAgent?.stop(), pdnsAgent?.stop(), noDns.stop()]);
  await Promise.all([bind?.stop(), pdns?.stop()]);
});

const LONG = `v=DKIM1; k=rsa; p=${"A".repeat(300)}`;
const HOSTILE_TXT = 'quote " semicolon ; backslash \\ $INCLUDE /etc/passwd $ORIGIN evil.';
const zoneRecords = (zone: string, www = "192.0.2.10"): DnsRecord[] => {
  const r = checkZone(zone, [
    { name: "@", type: "NS", value: "ns1" },
    { name: "ns1", type: "A", value: "127.0.0.1" },
    { name: "www", type: "A", value: www },
    { name: "www", type: "AAAA", value: "2001:db8::10" },
    { name: "@", type: "MX", value: "10 mail.example.net." },
    { name: "@", type: "TXT", value: "v=spf1 mx -all" },
    { name: "mail._domainkey", type: "TXT", value: LONG },
    { name: "odd", type: "TXT", value: HOSTILE_TXT },
    { name: "@", type: "CAA", value: '0 issue "letsencrypt.org"' },
    { name: "_sip._tcp", type: "SRV", value: "1 2 5060 www" },
    { name: "ftp", type: "CNAME", value: "www" },
  ]);
  if (!r.records) throw new Error(JSON.stringify(r.issues));
  return r.records;
};

async function op(t: TestAgent, name: string, input: unknown) {
  const r = await t.call(`/v1/ops/${name}`, { body: { version: 1, input } });
  if (r.status !== 200) return { status: r.status, error: r.json() as Record<string, unknown> };
  const last = r
    .lines()
    .map((l) => opStreamLine.parse(l))
    .at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  return { status: 200, result: last.result };
}

/** dns.zone.apply of a zone (its id derived from its name) with extra input fields. */
const applyZone = (
  t: TestAgent,
  zone: string,
  serial: number,
  records: DnsRecord[],
  extra: Record<string, unknown>,
) => op(t, "dns.zone.apply", { id: `z_${zone.split(".")[0]}`, zone, serial, records, ...extra });

const dig = (server: { address: string; port: number }, name: string, type: string) =>
  execFileSync("dig", [
    `@${server.address}`,
    "-p",
    String(server.port),
    "+short",
    "+norec",
    name,
    type,
  ])
    .toString()
    .trim();

for (const [system, server, agent] of [
  ["bind", bind, bindAgent],
  ["powerdns", pdns, pdnsAgent],
] as const) {
  describe.skipIf(!server || !agent)(`dns.zone.apply on ${system}`, () => {
    if (!server || !agent) return;
    const zone = `${system}.example.test`;
    const apply = (serial: number, records = zoneRecords(zone)) =>
      op(agent, "dns.zone.apply", { id: `z_${system}`, zone, serial, records });

    it("serves the zone as given, TXT split and escaped, and a re-apply changes nothing", async () => {
      const first = await apply(2026120501);
      expect(first.result?.error).toBeUndefined();
      expect(first.result).toMatchObject({
        status: "ok",
        changed: true,
        output: { backend: system, serial: 2026120501 },
      });
      expect(dig(server, `www.${zone}`, "A")).toBe("192.0.2.10");
      expect(dig(server, `ftp.${zone}`, "A")).toBe(`www.${zone}.\n192.0.2.10`);
      expect(dig(server, zone, "MX")).toBe("10 mail.example.net.");
      expect(dig(server, zone, "CAA")).toBe('0 issue "letsencrypt.org"');
      expect(dig(server, `_sip._tcp.${zone}`, "SRV")).toBe(`1 2 5060 www.${zone}.`);
      expect(dig(server, `odd.${zone}`, "TXT")).toBe(
        '"quote \\" semicolon ; backslash \\\\ $INCLUDE /etc/passwd $ORIGIN evil."',
      );
      expect(dig(server, `mail._domainkey.${zone}`, "TXT")).toBe(
        `"${LONG.slice(0, 255)}" "${LONG.slice(255)}"`,
      );
      expect(dig(server, `passwd.${zone}`, "A")).toBe("");
      const again = await apply(2026120501);
      expect(again.result).toMatchObject({ status: "ok", changed: false });
    });

    it("applies a change with the next serial: the new answer is served", async () => {
      const next = zoneRecords(zone, "192.0.2.20").filter((r) => r.type !== "CAA");
      const changed = await apply(2026120502, next);
      expect(changed.result).toMatchObject({ status: "ok", changed: true });
      expect(dig(server, `www.${zone}`, "A")).toBe("192.0.2.20");
      expect(dig(server, zone, "CAA")).toBe("");
      expect(dig(server, zone, "SOA").split(" ")[2]).toBe("2026120502");
    });

    it("refuses hostile values at the agent's own check, naming the field", async () => {
      const records = [
        ...zoneRecords(zone),
        { name: "x\n$INCLUDE /etc/passwd", type: "A", ttl: 3600, value: "192.0.2.1" },
      ];
      const r = await op(agent, "dns.zone.apply", { id: "z1", zone, serial: 9, records });
      expect(r.status).toBe(400);
      expect(r.error).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
      expect(JSON.stringify(r.error)).toContain("input.records.11.name");
    });

    it("removes the zone: the server no longer answers for it", async () => {
      const removed = await op(agent, "dns.zone.remove", { id: `z_${system}`, zone });
      expect(removed.result).toMatchObject({ status: "ok", changed: true });
      expect(dig(server, `www.${zone}`, "A")).toBe("");
      const again = await op(agent, "dns.zone.remove", { id: `z_${system}`, zone });
      expect(again.result).toMatchObject({ status: "ok", changed: false });
    });
  });
}

describe.skipIf(!bind || !bindAgent)("BIND specifics", () => {
  if (!bind || !bindAgent) return;
  it("maps named-checkzone's complaint to the record and keeps serving the previous zone", async () => {
    const zone = "check.example.test";
    const good = checkZone(zone, [
      { name: "@", type: "NS", value: "ns1.example.net." },
      { name: "www", type: "A", value: "192.0.2.1" },
    ]).records;
    const ok = await op(bindAgent, "dns.zone.apply", {
      id: "z_check",
      zone,
      serial: 1,
      records: good,
    });
    expect(ok.result?.status).toBe("ok");
    const bad = checkZone(zone, [
      { name: "@", type: "NS", value: "ns1" },
      { name: "www", type: "A", value: "192.0.2.2" },
    ]).records;
    const refused = await op(bindAgent, "dns.zone.apply", {
      id: "z_check",
      zone,
      serial: 2,
      records: bad,
    });
    expect(refused.result).toMatchObject({ status: "failed", error: { code: "ZONE_INVALID" } });
    expect(refused.result?.error?.message).toMatch(
      /^named-checkzone refused check\.example\.test: record 0 \(@ NS ns1\.check\.example\.test\.\): .*has no address records/,
    );
    expect(dig(bind, `www.${zone}`, "A")).toBe("192.0.2.1");
    const file = readFileSync(join(bind.zoneDir ?? "", `${zone}.zone`), "utf8");
    expect(file).toContain("www 3600 IN A 192.0.2.1");
  });
});

describe.skipIf(!pdns || !pdnsAgent)("DNSSEC on PowerDNS", () => {
  if (!pdns || !pdnsAgent) return;
  const zone = "signed.example.test";
  const apply = (serial: number, dnssec: boolean) =>
    applyZone(pdnsAgent, zone, serial, zoneRecords(zone), { dnssec });
  const digDnssec = (name: string, type: string) =>
    execFileSync("dig", [
      `@${pdns.address}`,
      "-p",
      String(pdns.port),
      "+dnssec",
      "+norec",
      name,
      type,
    ]).toString();

  it("signs the zone: RRSIGs are served, its DS is pdnsutil's; unsigning takes them away", async () => {
    const signed = await apply(1, true);
    expect(signed.result?.error).toBeUndefined();
    const output = signed.result?.output as { dnssec: { ds: string[]; dnskeys: string[] } };
    const keys = output.dnssec;
    expect(keys.dnskeys).toHaveLength(1);
    expect(keys.dnskeys[0]).toMatch(/^257 3 13 /);
    expect(digDnssec(`www.${zone}`, "A")).toMatch(/RRSIG\s+A 13 /);
    const exported = execFileSync(pdns.pdnsutil, [
      `--config-dir=${pdns.configDir}`,
      "export-zone-ds",
      zone,
    ]).toString();
    const pdnsutilDs = exported
      .split("\n")
      .filter(Boolean)
      .map((line) => line.replace(/ ; .*$/, "").split(/\s+IN\s+DS\s+/)[1]);
    expect(keys.ds).toEqual(pdnsutilDs);
    expect(keys.ds).toHaveLength(2);
    const again = await apply(1, true);
    expect(again.result).toMatchObject({ status: "ok", changed: false, output: { dnssec: keys } });
    const unsigned = await apply(2, false);
    expect(unsigned.result).toMatchObject({
      status: "ok",
      changed: true,
      output: { dnssec: null },
    });
    expect(digDnssec(`www.${zone}`, "A")).not.toContain("RRSIG");
  });
});

describe.skipIf(!bind || !bindAgent)("DNSSEC on BIND", () => {
  it("is refused with DNS_UNSUPPORTED, nothing written", async () => {
    if (!bind || !bindAgent) return;
    const zone = "unsigned.example.test";
    const records = zoneRecords(zone);
    const r = await op(bindAgent, "dns.zone.apply", {
      id: "z_u",
      zone,
      serial: 1,
      records,
      dnssec: true,
    });
    expect(r.result).toMatchObject({ status: "failed", error: { code: "DNS_UNSUPPORTED" } });
    expect(r.result?.error?.message).toContain("BIND");
    expect(dig(bind, `www.${zone}`, "A")).toBe("");
  });
});

describe.skipIf(!bind || !bindAgent || !pdns || !pdnsAgent)("a secondary (AXFR, NOTIFY)", () => {
  it("BIND primary, PowerDNS secondary: a change on the primary is served by the secondary", async () => {
    if (!bind || !bindAgent || !pdns || !pdnsAgent) return;
    const zone = "transfer.example.test";
    const primary = (serial: number, www: string) =>
      applyZone(bindAgent, zone, serial, zoneRecords(zone, www), { transfers: [pdns.resolver] });
    expect((await primary(1, "192.0.2.31")).result?.status).toBe("ok");
    const conf = readFileSync(join(bind.zoneDir ?? "", "zones.conf"), "utf8");
    expect(conf).toContain(`also-notify { 127.0.0.1 port ${pdns.port}; };`);
    expect(conf).toContain("allow-transfer { 127.0.0.1; };");
    const secondary = { id: "z_transfer", zone, primaries: [bind.resolver], serial: 1 };
    const made = await op(pdnsAgent, "dns.zone.secondary", secondary);
    expect(made.result?.error).toBeUndefined();
    expect(made.result).toMatchObject({ status: "ok", changed: true });
    expect(dig(pdns, `www.${zone}`, "A")).toBe("192.0.2.31");
    const again = await op(pdnsAgent, "dns.zone.secondary", secondary);
    expect(again.result).toMatchObject({ status: "ok", changed: false });
    // the primary's change: its NOTIFY makes the secondary transfer the zone again
    expect((await primary(2, "192.0.2.32")).result?.status).toBe("ok");
    await expect.poll(() => dig(pdns, zone, "SOA").split(" ")[2]).toBe("2");
    expect(dig(pdns, `www.${zone}`, "A")).toBe("192.0.2.32");
    const removed = await op(pdnsAgent, "dns.zone.remove", { id: "z_transfer", zone });
    expect(removed.result).toMatchObject({ status: "ok", changed: true });
    expect(dig(pdns, `www.${zone}`, "A")).toBe("");
    await op(bindAgent, "dns.zone.remove", { id: "z_transfer", zone });
  });

  it("refuses a PowerDNS primary's secondaries, and a peer that is not an address and port", async () => {
    if (!pdnsAgent || !pdns) return;
    const zone = "primary.example.test";
    const records = zoneRecords(zone);
    const transfers = ["127.0.0.1:5300"];
    const refused = await op(pdnsAgent, "dns.zone.apply", {
      id: "z_p",
      zone,
      serial: 1,
      records,
      transfers,
    });
    expect(refused.result).toMatchObject({ status: "failed", error: { code: "DNS_UNSUPPORTED" } });
    expect(dig(pdns, `www.${zone}`, "A")).toBe("");
    const input = { id: "z", zone: "x.test", primaries: ["ns1.example.net"], serial: 1 };
    const r = await op(pdnsAgent, "dns.zone.secondary", input);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.error)).toContain("input.primaries.0");
  });
});

describe("a node without DNS", () => {
  it("refuses with DNS_NOT_CONFIGURED", async () => {
    const records = checkZone("x.test", [
      { name: "@", type: "NS", value: "ns.example.net." },
    ]).records;
    const r = await op(noDns, "dns.zone.apply", { id: "z", zone: "x.test", serial: 1, records });
    expect(r.result).toMatchObject({ status: "failed", error: { code: "DNS_NOT_CONFIGURED" } });
  });
});
