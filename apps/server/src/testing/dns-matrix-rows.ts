// The access matrix's rows for DNS zones (issue 13), spread into http/access-matrix.test.ts:
// a zone is a resource of its account (readers read it and its records, its admins change
// it, strangers are told it does not exist). Statuses in the order of fixtures' ACTORS.
import type { ActorName, World } from "./fixtures.ts";
import { markTrusted } from "./trusted-node.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<{ path: string; body?: unknown }>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];
const CREATE = (ok: number): Statuses => [ok, ok, 403, 403, 403, 403, 403];

const NS = { name: "@", type: "NS", value: "ns1.example.net." };

async function trustedNodeOf(w: World, dnsAddress?: string) {
  const node = await w.s.svc.nodes.create(w.s.cli, {
    name: `dns-${w.unique()}`,
    agentUrl: "https://10.0.0.1:7443",
  });
  await markTrusted(w.s, node.id);
  if (dnsAddress) await w.s.svc.nodes.update(w.s.cli, node.id, { dnsAddress });
  return node.id;
}

/** a zone of account A on a trusted node, with one A record (its task waits: no worker) */
async function zoneOnA(w: World, dnsAddress?: string) {
  const zone = await w.s.svc.dns.create(w.s.cli, {
    name: `z${w.unique()}.example.com`,
    node: await trustedNodeOf(w, dnsAddress),
    account: w.a,
    records: [NS, { name: "www", type: "A", value: "192.0.2.1", ttl: 3600 }].map((r) => ({
      ttl: 3600,
      ...r,
    })) as never,
  });
  const records = await w.s.svc.dns.records(w.s.cli, zone.id);
  return { zone: zone.id, record: records.items[1]?.id ?? "" };
}

const Z = "/api/v1/dns/zones";
export const DNS_ROWS: Record<string, Row> = {
  [`GET ${Z}`]: { expect: ALL_OK, call: async () => ({ path: Z }) },
  [`POST ${Z}`]: {
    expect: CREATE(201),
    call: async (w) => ({
      path: Z,
      body: {
        name: `c${w.unique()}.example.com`,
        node: await trustedNodeOf(w),
        account: w.a,
        records: [NS],
      },
    }),
  },
  [`GET ${Z}/:id`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}` }),
  },
  [`DELETE ${Z}/:id`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}` }),
  },
  [`POST ${Z}/:id/apply`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}/apply` }),
  },
  [`POST ${Z}/:id/dnssec`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({
      path: `${Z}/${(await zoneOnA(w)).zone}/dnssec`,
      body: { enabled: false },
    }),
  },
  [`GET ${Z}/:id/secondaries`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}/secondaries` }),
  },
  [`POST ${Z}/:id/secondaries`]: {
    expect: A_ADMIN(202),
    call: async (w) => ({
      path: `${Z}/${(await zoneOnA(w, "10.0.0.1:53")).zone}/secondaries`,
      body: { node: await trustedNodeOf(w, "10.0.0.2:53") },
    }),
  },
  [`DELETE ${Z}/:id/secondaries/:nodeId`]: {
    expect: A_ADMIN(202),
    call: async (w) => {
      const { zone } = await zoneOnA(w, "10.0.0.1:53");
      const node = await trustedNodeOf(w, "10.0.0.2:53");
      await w.s.svc.dns.addSecondary(w.s.cli, zone, { node });
      return { path: `${Z}/${zone}/secondaries/${node}` };
    },
  },
  [`GET ${Z}/:id/records`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}/records` }),
  },
  [`POST ${Z}/:id/records`]: {
    expect: A_ADMIN(201),
    call: async (w) => ({
      path: `${Z}/${(await zoneOnA(w)).zone}/records`,
      body: { name: "mail", type: "A", value: "192.0.2.2" },
    }),
  },
  [`PATCH ${Z}/:id/records/:recordId`]: {
    expect: A_ADMIN(200),
    call: async (w) => {
      const { zone, record } = await zoneOnA(w);
      return { path: `${Z}/${zone}/records/${record}`, body: { value: "192.0.2.9" } };
    },
  },
  [`DELETE ${Z}/:id/records/:recordId`]: {
    expect: A_ADMIN(200),
    call: async (w) => {
      const { zone, record } = await zoneOnA(w);
      return { path: `${Z}/${zone}/records/${record}` };
    },
  },
  [`POST ${Z}/:id/import`]: {
    expect: A_ADMIN(200),
    call: async (w) => ({
      path: `${Z}/${(await zoneOnA(w)).zone}/import`,
      body: { zoneFile: "@ NS ns1.example.net.\nwww A 192.0.2.3\n" },
    }),
  },
  [`GET ${Z}/:id/export`]: {
    expect: A_READ,
    call: async (w) => ({ path: `${Z}/${(await zoneOnA(w)).zone}/export` }),
  },
};
