// SQL of the databases and users Steward made (or adopted) on its servers, and their grants.
// A row is written only after the server has what it says (executor.ts).
import type {
  DatabaseEngine,
  DatabaseUserView,
  DatabaseView,
  GrantLevel,
} from "@steward/contracts/databases";
import type { Insertable, Kysely, Selectable, Updateable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { DatabaseTable, DatabaseUserTable } from "../../db/schema-databases.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { isoOrNull, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";
import type { ServerRow } from "./repo.ts";

export type DatabaseRow = Selectable<DatabaseTable>;
export type UserRow = Selectable<DatabaseUserTable>;
export interface GrantRow {
  user_id: string;
  database_id: string;
  level: string;
  database: string;
}
type Server = Pick<ServerRow, "id" | "name" | "engine">;

const times = (row: { created_at: number; updated_at: number }) => ({
  createdAt: msToIso(Number(row.created_at)),
  updatedAt: msToIso(Number(row.updated_at)),
});

/** What a database and a user show alike: ids, names, the server's name and engine, times. */
const common = (row: DatabaseRow | UserRow, server: Server) => ({
  id: row.id,
  serverId: row.server_id,
  server: server.name,
  engine: server.engine,
  accountId: row.account_id,
  name: row.name,
  adopted: Number(row.adopted) === 1,
  ...times(row),
});

export function toDatabase(row: DatabaseRow, server: Server): DatabaseView {
  return {
    ...common(row, server),
    options: JSON.parse(row.options),
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sizedAt: isoOrNull(row.sized_at === null ? null : Number(row.sized_at)),
  };
}

export function toUser(row: UserRow, server: Server, grants: GrantRow[]): DatabaseUserView {
  return {
    ...common(row, server),
    hosts: JSON.parse(row.hosts),
    connectionLimit: row.connection_limit === null ? null : Number(row.connection_limit),
    hasPassword: row.password_sealed !== null,
    rotatedAt: isoOrNull(row.rotated_at === null ? null : Number(row.rotated_at)),
    grants: grants
      .filter((g) => g.user_id === row.id)
      .map((g) => ({
        databaseId: g.database_id,
        database: g.database,
        level: JSON.parse(g.level) as GrantLevel,
      })),
  };
}

/** The orders of both lists, each an index walk (migration 032). */
export const databaseOrder = keyset("databases.id", {
  name: { sql: "databases.name" },
  createdAt: "id",
});
export const userOrder = keyset("database_users.id", {
  name: { sql: "database_users.name" },
  createdAt: "id",
});

interface ListFilter {
  account?: string;
  server?: string;
  engine?: DatabaseEngine;
  limit: number;
  walk: Walk;
}

export async function listDatabases(db: Kysely<Database>, scope: ListScope, f: ListFilter) {
  let q = f.walk.apply(db.selectFrom("databases").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.server) q = q.where("server_id", "=", f.server);
  if (f.engine) q = q.where("engine", "=", f.engine);
  return pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
}

export async function listUsers(db: Kysely<Database>, scope: ListScope, f: ListFilter) {
  let q = f.walk.apply(db.selectFrom("database_users").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  if (f.server) q = q.where("server_id", "=", f.server);
  if (f.engine) q = q.where("engine", "=", f.engine);
  return pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
}

export const findDatabase = (db: Kysely<Database>, id: string) =>
  db.selectFrom("databases").selectAll().where("id", "=", id).executeTakeFirst();

/**
 * A database's own user: the first user Steward made with a grant on it (its password sealed,
 * so the panel can log in as it); adopted users keep their passwords to themselves.
 */
export const ownUserOf = (db: Kysely<Database>, databaseId: string) =>
  db
    .selectFrom("database_grants")
    .innerJoin("database_users", "database_users.id", "database_grants.user_id")
    .selectAll("database_users")
    .where("database_grants.database_id", "=", databaseId)
    .where("database_users.password_sealed", "is not", null)
    .orderBy("database_users.id")
    .limit(1)
    .executeTakeFirst();

export const findUser = (db: Kysely<Database>, id: string) =>
  db.selectFrom("database_users").selectAll().where("id", "=", id).executeTakeFirst();

/** The database or user of this name on a server (at most one: a unique key). */
export const databasesNamed = (db: Kysely<Database>, serverId: string, name: string) =>
  db
    .selectFrom("databases")
    .select("id")
    .where("server_id", "=", serverId)
    .where("name", "=", name)
    .execute();
export const usersNamed = (db: Kysely<Database>, serverId: string, name: string) =>
  db
    .selectFrom("database_users")
    .select("id")
    .where("server_id", "=", serverId)
    .where("name", "=", name)
    .execute();

/** The names Steward knows on a server (adoption compares them with what exists). */
export const databaseNamesOn = (db: Kysely<Database>, serverId: string) =>
  db.selectFrom("databases").select(["id", "name"]).where("server_id", "=", serverId).execute();
export const userNamesOn = (db: Kysely<Database>, serverId: string) =>
  db
    .selectFrom("database_users")
    .select(["id", "name"])
    .where("server_id", "=", serverId)
    .execute();

/** The databases of these ids on one server (a grant names them by id). */
export const databasesOn = (db: Kysely<Database>, serverId: string, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom("databases")
        .selectAll()
        .where("server_id", "=", serverId)
        .where("id", "in", ids)
        .execute();

/** The grants of these users, with their databases' names (by name). */
export async function grantsOf(db: Kysely<Database>, userIds: string[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  const grants = await db
    .selectFrom("database_grants")
    .select(["user_id", "database_id", "level"])
    .where("user_id", "in", userIds)
    .execute();
  if (grants.length === 0) return [];
  const ids = [...new Set(grants.map((g) => g.database_id))];
  const names = new Map(
    // every column: a page's few rows by primary key (no index holds them all)
    (await db.selectFrom("databases").selectAll().where("id", "in", ids).execute()).map((d) => [
      d.id,
      d.name,
    ]),
  );
  return grants
    .map((g) => ({ ...g, database: names.get(g.database_id) ?? "" }))
    .sort((a, b) => a.database.localeCompare(b.database));
}

export async function insertDatabase(db: Kysely<Database>, row: Insertable<DatabaseTable>) {
  await db.insertInto("databases").values(row).execute();
}

export async function insertUser(
  db: Kysely<Database>,
  row: Insertable<DatabaseUserTable>,
  grants: { database_id: string; level: GrantLevel }[],
) {
  await db.insertInto("database_users").values(row).execute();
  await putGrants(db, row.id, grants);
}

export async function putGrants(
  db: Kysely<Database>,
  userId: string,
  grants: { database_id: string; level: GrantLevel }[],
) {
  for (const g of grants)
    await db
      .insertInto("database_grants")
      .values({ user_id: userId, database_id: g.database_id, level: JSON.stringify(g.level) })
      .onConflict((c) =>
        c.columns(["user_id", "database_id"]).doUpdateSet({ level: JSON.stringify(g.level) }),
      )
      .execute();
}

export async function dropGrants(db: Kysely<Database>, userId: string, databaseIds: string[]) {
  if (databaseIds.length === 0) return;
  await db
    .deleteFrom("database_grants")
    .where("user_id", "=", userId)
    .where("database_id", "in", databaseIds)
    .execute();
}

export async function updateUser(
  db: Kysely<Database>,
  id: string,
  set: Updateable<DatabaseUserTable>,
) {
  await db.updateTable("database_users").set(set).where("id", "=", id).execute();
}

export async function deleteDatabase(db: Kysely<Database>, id: string) {
  await db.deleteFrom("database_grants").where("database_id", "=", id).execute();
  await db.deleteFrom("database_sizes").where("database_id", "=", id).execute();
  await db.deleteFrom("databases").where("id", "=", id).execute();
}

export async function deleteUser(db: Kysely<Database>, id: string) {
  await db.deleteFrom("database_grants").where("user_id", "=", id).execute();
  await db.deleteFrom("database_users").where("id", "=", id).execute();
}

/** The servers of a page's rows, by id (their names and engines). */
export const serversOf = (db: Kysely<Database>, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom("database_servers")
        .select(["id", "name", "engine", "account_id"])
        .where("id", "in", [...new Set(ids)])
        .execute();

// ---- sizes (sizes.ts) ----

/** A page of servers in id order (the sizes task walks them all). */
export const serversAfter = (db: Kysely<Database>, after: string, limit: number) =>
  db
    .selectFrom("database_servers")
    .selectAll()
    .where("id", ">", after)
    .orderBy("id")
    .limit(limit)
    .execute();
