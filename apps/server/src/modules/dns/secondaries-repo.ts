// Every line of SQL of dns_zone_secondaries: the other nodes serving a zone by transfer.
import type { DnsSecondary } from "@steward/contracts";
import type { Kysely, Selectable, Updateable } from "kysely";
import type { Database, DnsZoneSecondaryTable } from "../../db/schema.ts";

export type SecondaryRow = Selectable<DnsZoneSecondaryTable>;
type Db = Kysely<Database>;

export function toSecondary(
  r: SecondaryRow,
  node: { name: string; address: string | null } | undefined,
): DnsSecondary {
  return {
    zoneId: r.zone_id,
    nodeId: r.node_id,
    nodeName: node?.name ?? null,
    address: node?.address ?? null,
    state: r.state,
    lastError: r.last_error,
    taskId: r.task_id,
    createdAt: new Date(Number(r.created_at)).toISOString(),
    updatedAt: new Date(Number(r.updated_at)).toISOString(),
  };
}

/** A zone's secondaries, by node id: the walk of the primary key (zone, node). */
export const secondariesOf = (db: Db, zoneId: string) =>
  db
    .selectFrom("dns_zone_secondaries")
    .selectAll()
    .where("zone_id", "=", zoneId)
    .orderBy("node_id")
    .execute();

export const findSecondary = (db: Db, zoneId: string, nodeId: string) =>
  db
    .selectFrom("dns_zone_secondaries")
    .selectAll()
    .where("zone_id", "=", zoneId)
    .where("node_id", "=", nodeId)
    .executeTakeFirst();

export async function insertSecondary(db: Db, zoneId: string, nodeId: string) {
  const now = Date.now();
  await db
    .insertInto("dns_zone_secondaries")
    .values({
      zone_id: zoneId,
      node_id: nodeId,
      state: "pending",
      last_error: null,
      task_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateSecondary(
  db: Db,
  zoneId: string,
  nodeId: string,
  set: Updateable<DnsZoneSecondaryTable>,
) {
  await db
    .updateTable("dns_zone_secondaries")
    .set({ ...set, updated_at: Date.now() })
    .where("zone_id", "=", zoneId)
    .where("node_id", "=", nodeId)
    .execute();
}

export async function deleteSecondary(db: Db, zoneId: string, nodeId: string) {
  await db
    .deleteFrom("dns_zone_secondaries")
    .where("zone_id", "=", zoneId)
    .where("node_id", "=", nodeId)
    .execute();
}
