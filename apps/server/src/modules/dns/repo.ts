// Every line of SQL of the dns_zones and dns_records tables.
import type { DnsRecordItem, DnsZone } from "@steward/contracts";
import type { DnssecKeys } from "@steward/contracts/agent";
import type { DnsRecord } from "@steward/contracts/dns";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database, DnsZoneTable } from "../../db/schema.ts";
import { newId } from "../../lib/ids.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { namesById } from "../../lib/names.ts";
import { countOfAccountIn } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type ZoneRow = Selectable<DnsZoneTable>;
type Db = Kysely<Database>;

const iso = (ms: number) => new Date(Number(ms)).toISOString();

/** The zone's DNSSEC state: wished, and the keys the node last reported while signed. */
function dnssecOf(r: ZoneRow): DnsZone["dnssec"] {
  const keys = r.dnssec_keys ? (JSON.parse(r.dnssec_keys) as DnssecKeys) : null;
  return { enabled: Number(r.dnssec) === 1, ds: keys?.ds ?? [], dnskeys: keys?.dnskeys ?? [] };
}

export function toZone(r: ZoneRow, records: number): DnsZone {
  return {
    id: r.id,
    name: r.name,
    accountId: r.account_id,
    nodeId: r.node_id,
    providerId: r.provider_id,
    fullSync: Number(r.full_sync) === 1,
    backend: r.backend,
    serial: Number(r.serial),
    appliedSerial: r.applied_serial === null ? null : Number(r.applied_serial),
    status: r.status,
    lastError: r.last_error,
    records,
    dnssec: dnssecOf(r),
    taskId: r.task_id,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The zones list's order: creation (the id), an index walk (migration 029). */
export const zoneOrder = keyset("dns_zones.id", { createdAt: "id" });

async function recordCounts(db: Db, zoneIds: string[]) {
  if (!zoneIds.length) return new Map<string, number>();
  const rows = await db
    .selectFrom("dns_records")
    .select(["zone_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("zone_id", "in", zoneIds)
    .groupBy("zone_id")
    .execute();
  return new Map(rows.map((r) => [r.zone_id, Number(r.n)]));
}

export async function listZones(
  db: Db,
  scope: ListScope,
  f: { account?: string; node?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("dns_zones").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.node) q = q.where("node_id", "=", f.node);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  const counts = await recordCounts(
    db,
    rows.slice(0, f.limit).map((r) => r.id),
  );
  return f.walk.page(rows, f.limit, (r) => toZone(r, counts.get(r.id) ?? 0));
}

/** id → name of the zones that still exist (audit and task titles). */
export const zoneNames = namesById("dns_zones", "name");

export const findZone = (db: Db, id: string) =>
  db.selectFrom("dns_zones").selectAll().where("id", "=", id).executeTakeFirst();

export const findZoneByName = (db: Db, name: string) =>
  db.selectFrom("dns_zones").selectAll().where("name", "=", name).executeTakeFirst();

/** The zones whose names end a name: the zone covering a name is the longest of them. */
export const zonesNamed = (db: Db, names: string[]) =>
  names.length
    ? db.selectFrom("dns_zones").selectAll().where("name", "in", names).execute()
    : Promise.resolve([]);

/** One zone a DNS provider holds (its removal waits until none does): the provider's walk. */
export const zoneOfProvider = (db: Db, providerId: string) =>
  db
    .selectFrom("dns_zones")
    .select(["id", "name"])
    .where("provider_id", "=", providerId)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();

export const zoneRecordCount = async (db: Db, id: string) =>
  (await recordCounts(db, [id])).get(id) ?? 0;

export async function insertZone(db: Db, row: Insertable<DnsZoneTable>) {
  await db.insertInto("dns_zones").values(row).execute();
}

export async function updateZone(db: Db, id: string, set: Updateable<DnsZoneTable>) {
  await db
    .updateTable("dns_zones")
    .set({ ...set, updated_at: Date.now() })
    .where("id", "=", id)
    .execute();
}

export async function deleteZone(db: Db, id: string) {
  await db.deleteFrom("dns_records").where("zone_id", "=", id).execute();
  await db.deleteFrom("dns_zones").where("id", "=", id).execute();
}

/** A zone's records in their order (ids are time-ordered: creation order). */
export async function recordsOf(db: Db, zoneId: string): Promise<DnsRecordItem[]> {
  const rows = await db
    .selectFrom("dns_records")
    .select(["id", "name", "type", "ttl", "value"])
    .where("zone_id", "=", zoneId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ ...r, ttl: Number(r.ttl) }));
}

export async function insertRecords(db: Db, zoneId: string, records: DnsRecord[]) {
  const now = Date.now();
  const rows = records.map((r, i) => ({ id: newId("rec", now + i), zone_id: zoneId, ...r }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("dns_records")
      .values(rows.slice(i, i + 500))
      .execute();
  return rows.map(({ zone_id: _zone, ...r }) => r);
}

export async function updateRecord(db: Db, zoneId: string, id: string, r: DnsRecord) {
  await db
    .updateTable("dns_records")
    .set(r)
    .where("zone_id", "=", zoneId)
    .where("id", "=", id)
    .execute();
}

export async function deleteRecords(db: Db, zoneId: string, ids?: string[]) {
  let q = db.deleteFrom("dns_records").where("zone_id", "=", zoneId);
  if (ids) q = q.where("id", "in", ids);
  await q.execute();
}

/** How many DNS zones an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "dns_zones", accountId);
