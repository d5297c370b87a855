// DNS zones served by a node: `zone/<name>.yaml` with their account, node and records
// (canonical and sorted: the file does not change when the panel lists them in another
// order). Zones at a DNS provider (Cloudflare) are not written. A change of records replaces
// them all in one transaction: the zone file import with `replace` (the SOA is the panel's).
import { defaultSoa, renderZone, soaTimers } from "@steward/contracts/dns";
import { sortedRecords, type ZoneFile } from "@steward/contracts/state";
import type { Api } from "../api.ts";
import { idOf, type KindOps, nameOf, type Refs } from "../kind.ts";

interface Zone {
  id: string;
  name: string;
  accountId: string;
  nodeId: string | null;
  status: string;
}

export const zones: KindOps<"zone"> = {
  kind: "zone",
  fixed: ["account", "node"],
  refers: (f) => [
    { field: "account", to: "account", name: f.account },
    { field: "node", to: "node", name: f.node },
  ],
  async read(api: Api, refs: Refs) {
    const items = await api.all<Zone>("/api/v1/dns/zones");
    const out = new Map<string, { id: string; file: ZoneFile }>();
    for (const z of items) {
      if (z.nodeId === null || z.status === "deleting") continue;
      const path = `/api/v1/dns/zones/${z.id}/records`;
      const { items: records } = await api.get<{ items: ZoneFile["records"] }>(path);
      out.set(z.name, {
        id: z.id,
        file: {
          name: z.name,
          account: nameOf(refs.accounts, z.accountId),
          node: nameOf(refs.nodes, z.nodeId),
          records: sortedRecords(records),
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
    const soa = defaultSoa(file.name, file.records, 1, soaTimers.parse({}));
    await api.send("POST", `/api/v1/dns/zones/${current.id}/import`, {
      zoneFile: renderZone(file.name, soa, file.records).text,
      replace: true,
    });
  },
  async remove(api, current) {
    await api.send("DELETE", `/api/v1/dns/zones/${current.id}`);
  },
};
