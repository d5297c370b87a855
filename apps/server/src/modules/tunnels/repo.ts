// Every line of SQL of the tunnels and tunnel_routes tables.
import type { Tunnel, TunnelRoute } from "@steward/contracts";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { TunnelRouteTable, TunnelTable } from "../../db/schema-github.ts";

export type TunnelRow = Selectable<TunnelTable>;
export type RouteRow = Selectable<TunnelRouteTable>;

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export const toTunnel = (r: TunnelRow): Tunnel => ({
  id: r.id,
  nodeId: r.node_id,
  cloudflareAccount: r.cf_account_id,
  tunnelId: r.tunnel_id,
  zone: r.zone,
  createdAt: iso(r.created_at),
});

export const toRoute = (r: RouteRow): TunnelRoute => ({
  id: r.id,
  tunnelId: r.tunnel_id,
  hostname: r.hostname,
  port: Number(r.port),
  createdAt: iso(r.created_at),
});

/** The tunnels (one per node at most), by id: the primary key's walk. */
export const listTunnels = (db: Kysely<Database>, limit: number) =>
  db.selectFrom("tunnels").selectAll().orderBy("id").limit(limit).execute();

export const findTunnel = (db: Kysely<Database>, id: string) =>
  db.selectFrom("tunnels").selectAll().where("id", "=", id).executeTakeFirst();

export const tunnelOfNode = (db: Kysely<Database>, nodeId: string) =>
  db.selectFrom("tunnels").selectAll().where("node_id", "=", nodeId).executeTakeFirst();

export async function insertTunnel(db: Kysely<Database>, row: Insertable<TunnelTable>) {
  await db.insertInto("tunnels").values(row).execute();
}

export async function deleteTunnel(db: Kysely<Database>, id: string) {
  await db.deleteFrom("tunnels").where("id", "=", id).execute();
}

/** A tunnel's routes (at most `limit`), by id: the tunnel index's walk. */
export const routesOf = (db: Kysely<Database>, tunnelId: string, limit: number) =>
  db
    .selectFrom("tunnel_routes")
    .selectAll()
    .where("tunnel_id", "=", tunnelId)
    .orderBy("id")
    .limit(limit)
    .execute();

export const findRoute = (db: Kysely<Database>, tunnelId: string, id: string) =>
  db
    .selectFrom("tunnel_routes")
    .selectAll()
    .where("tunnel_id", "=", tunnelId)
    .where("id", "=", id)
    .executeTakeFirst();

export const routeOfHostname = (db: Kysely<Database>, hostname: string) =>
  db.selectFrom("tunnel_routes").selectAll().where("hostname", "=", hostname).executeTakeFirst();

export async function insertRoute(db: Kysely<Database>, row: Insertable<TunnelRouteTable>) {
  await db.insertInto("tunnel_routes").values(row).execute();
}

export async function deleteRoute(db: Kysely<Database>, id: string) {
  await db.deleteFrom("tunnel_routes").where("id", "=", id).execute();
}
