// SQL of database servers, databases, their users, grants and sizes, nothing else.
import {
  type ConnectionReport,
  connectionReport,
  type DatabaseServer,
} from "@steward/contracts/databases";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { DatabaseServerTable } from "../../db/schema-databases.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { countOfAccountIn, isoOrNull, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type ServerRow = Selectable<DatabaseServerTable>;
export type NewServer = Insertable<DatabaseServerTable>;

const reportOf = (json: string | null): ConnectionReport | null =>
  json === null ? null : connectionReport.parse(JSON.parse(json));

export function toServer(row: ServerRow): DatabaseServer {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    engine: row.engine,
    placement: row.placement,
    nodeId: row.node_id,
    host: row.host,
    port: row.port === null ? null : Number(row.port),
    adminUser: row.admin_user,
    tls: { mode: row.tls_mode, ca: row.tls_ca !== null },
    viaNodeId: row.via_node_id,
    version: row.version,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    lastTest: reportOf(row.last_test),
    testedAt: isoOrNull(row.tested_at === null ? null : Number(row.tested_at)),
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** The orders of the servers list, each an index walk (migration 032). */
export const serverOrder = keyset("database_servers.id", {
  name: { sql: "database_servers.name" },
  createdAt: "id",
});

/** A page of servers; what an actor sees is read one account (or server) at a time. */
export async function listServers(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; node?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("database_servers").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.node) q = q.where("node_id", "=", f.node);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(rows, f.limit, toServer);
}

export const findServer = (db: Kysely<Database>, id: string) =>
  db.selectFrom("database_servers").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertServer(db: Kysely<Database>, row: NewServer) {
  await db.insertInto("database_servers").values(row).execute();
}

export async function updateServer(
  db: Kysely<Database>,
  id: string,
  set: Updateable<DatabaseServerTable>,
) {
  await db.updateTable("database_servers").set(set).where("id", "=", id).execute();
}

/** Forgets a server (its databases and users are gone from Steward first: edit.ts). */
export async function deleteServer(db: Kysely<Database>, id: string) {
  await db.deleteFrom("database_servers").where("id", "=", id).execute();
}

/** What a connection test learned, kept on the server. */
export const testedSet = (report: ConnectionReport, at: number) => ({
  last_test: JSON.stringify(report),
  tested_at: at,
  ...(report.version !== null ? { version: report.version } : {}),
  ...(report.sizeBytes !== null ? { size_bytes: report.sizeBytes } : {}),
});

/** How many database servers an account owns (an account that owns any is not deleted). */
export const serversOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "database_servers", accountId);

/** How many databases an account owns, on its servers or shared ones (an account that owns
 *  any is not deleted). */
export const databasesOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "databases", accountId);
