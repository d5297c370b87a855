// A new site's A/AAAA records in the zones Steward manages for its account (POST
// /api/v1/sites with `dnsRecords`): each of the site's names inside such a zone gets the
// given addresses (unless it has them), checked with the zone's rules and applied by the
// zone's task, in the site's transaction. Names no managed zone covers are left alone.
import type { DnsRecord } from "@steward/contracts/dns";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { coveringZone } from "./cover.ts";
import * as repo from "./repo.ts";
import { checkAll } from "./rules.ts";
import { scheduleChange } from "./schedule.ts";

export async function addSiteRecords(
  engine: Engine,
  trx: Kysely<Database>,
  accountId: string,
  names: string[],
  addresses: { ipv4?: string; ipv6?: string },
) {
  const wanted = new Map<string, { zone: repo.ZoneRow; records: DnsRecord[] }>();
  for (const fqdn of names) {
    const covered = await coveringZone(trx, accountId, fqdn);
    if (!covered) continue;
    const name = covered.inside.join(".") || "@";
    const entry = wanted.get(covered.zone.id) ?? { zone: covered.zone, records: [] };
    if (addresses.ipv4) entry.records.push({ name, type: "A", ttl: 3600, value: addresses.ipv4 });
    if (addresses.ipv6)
      entry.records.push({ name, type: "AAAA", ttl: 3600, value: addresses.ipv6 });
    wanted.set(covered.zone.id, entry);
  }
  for (const { zone, records } of wanted.values()) {
    const current = (await repo.recordsOf(trx, zone.id)).map(({ id: _id, ...r }) => r);
    const has = (r: DnsRecord) =>
      current.some((c) => c.name === r.name && c.type === r.type && c.value === r.value);
    const fresh = records.filter((r) => !has(r));
    if (!fresh.length) continue;
    checkAll(zone.name, [...current, ...fresh], "body.dnsRecords");
    await repo.insertRecords(trx, zone.id, fresh);
    await scheduleChange(engine, trx, zone);
  }
}
