// DNS zones served by a node: `zone/<name>.yaml` with their account, node and records (sorted:
// the file does not change when the panel lists them in another order). Zones at a DNS
// provider (Cloudflare) are not written. Records change one by one through the records API.
import type { ZoneFile } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

interface Zone {
  id: string;
  name: string;
  accountId: string;
  nodeId: string | null;
  status: string;
}
type Rec = ZoneFile["records"][number];
interface RecordRow extends Rec {
  id: string;
}

const key = (r: Rec) => `${r.name}\u0000${r.type}\u0000${r.ttl}\u0000${r.value}`;
const byKey = (a: Rec, b: Rec) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

async function recordsOf(api: Api, zoneId: string): Promise<RecordRow[]> {
  const { items } = await api.get<{ items: RecordRow[] }>(`/api/v1/dns/zones/${zoneId}/records`);
  return items;
}

export const zones: KindOps<"zone"> = {
  kind: "zone",
  fixed: ["account", "node"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  normalize: (file) => ({ ...file, records: [...file.records].sort(byKey) }),
  async read(api: Api, refs: Refs) {
    const items = await api.all<Zone>("/api/v1/dns/zones");
    const out = new Map<string, { id: string; file: ZoneFile }>();
    for (const z of items) {
      if (z.nodeId === null || z.status === "deleting") continue;
      const records = (await recordsOf(api, z.id))
        .map(({ name, type, ttl, value }) => ({ name, type, ttl, value }))
        .sort(byKey);
      out.set(z.name, {
        id: z.id,
        file: {
          name: z.name,
          account: nameOf(refs.accounts, z.accountId),
          node: nameOf(refs.nodes, z.nodeId),
          records,
        },
      });
    }
    return out;
  },
  async create(api, refs, file) {
    await api.send("POST", "/api/v1/dns/zones", {
      name: file.name,
      account: idOf(refs.accounts, "account", file.account, "account"),
      node: idOf(refs.nodes, "node", file.node, "node"),
      records: file.records,
    });
  },
  async update(api, _refs, current, file) {
    const wanted = new Set(file.records.map(key));
    const rows = await recordsOf(api, current.id);
    const have = new Set(rows.map(key));
    for (const r of rows)
      if (!wanted.has(key(r)))
        await api.send("DELETE", `/api/v1/dns/zones/${current.id}/records/${r.id}`);
    for (const r of file.records)
      if (!have.has(key(r))) await api.send("POST", `/api/v1/dns/zones/${current.id}/records`, r);
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/dns/zones/${current.id}`);
  },
};
