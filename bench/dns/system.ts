// One DNS server of bench:dns with a real agent in front of it (mTLS, the operation route the
// panel calls): BIND (named with rndc, zone files in its include directory) or PowerDNS
// (gsqlite3, its HTTP API), both hermetic on 127.0.0.1 (packages/testkit).
import { Resolver } from "node:dns/promises";
import { startTestAgent, type TestAgent } from "@steward/agent/testing";
import { opStreamLine } from "@steward/contracts/agent";
import type { DnsRecord } from "@steward/contracts/dns";
import { startDns, startPowerDns } from "@steward/testkit";

export const SYSTEMS = ["powerdns", "bind"] as const;
export type SystemName = (typeof SYSTEMS)[number];

export interface DnsSystem {
  name: SystemName;
  /** dns.zone.apply through the agent; throws unless it succeeded */
  apply(zone: string, serial: number, records: DnsRecord[]): Promise<void>;
  /** the A addresses the server answers for a name (none: []) */
  resolveA(name: string): Promise<string[]>;
  stop(): Promise<void>;
}

async function withAgent(
  name: SystemName,
  resolver: string,
  dns: NonNullable<Parameters<typeof startTestAgent>[0]>["dns"],
  stopServer: () => Promise<void>,
): Promise<DnsSystem> {
  const agent: TestAgent = await startTestAgent({ dns });
  const dnsClient = new Resolver({ timeout: 1000, tries: 1 });
  dnsClient.setServers([resolver]);
  return {
    name,
    async apply(zone, serial, records) {
      const input = { id: `z_${zone.replaceAll(".", "_")}`, zone, serial, records };
      const r = await agent.call("/v1/ops/dns.zone.apply", { body: { version: 1, input } });
      if (r.status !== 200) throw new Error(`dns.zone.apply ${zone}: ${r.status} ${r.text}`);
      const last = r
        .lines()
        .map((l) => opStreamLine.parse(l))
        .at(-1);
      if (last?.type !== "result" || last.result.status !== "ok")
        throw new Error(`dns.zone.apply ${zone}: ${JSON.stringify(last)}`);
    },
    async resolveA(host) {
      try {
        return await dnsClient.resolve4(host);
      } catch {
        return [];
      }
    },
    async stop() {
      await agent.stop();
      await stopServer();
    },
  };
}

export async function startSystem(name: SystemName): Promise<DnsSystem> {
  if (name === "bind") {
    const bind = await startDns({ zones: { "ready.bench.test": [] }, control: true });
    if (!bind?.zoneDir) throw new Error("BIND (named) is missing");
    return withAgent(
      name,
      bind.resolver,
      {
        backend: "bind",
        query: bind.resolver,
        bind: { zoneDir: bind.zoneDir, rndcConf: bind.rndcConf },
      },
      bind.stop,
    );
  }
  const pdns = await startPowerDns();
  if (!pdns) throw new Error("PowerDNS is missing");
  return withAgent(
    name,
    pdns.resolver,
    {
      backend: "powerdns",
      query: pdns.resolver,
      powerdns: { apiUrl: pdns.apiUrl, apiKey: pdns.apiKey },
    },
    pdns.stop,
  );
}
