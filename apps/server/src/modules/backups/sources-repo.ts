// Every line of SQL of the backup_sources table.
import { type BackupSource, sourceCheck } from "@steward/contracts/backups";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { BackupSourceTable } from "../../db/schema-backups.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { countOfAccountIn, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type SourceRow = Selectable<BackupSourceTable>;
export type NewSource = Insertable<BackupSourceTable>;

export function toSource(row: SourceRow): BackupSource {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: row.kind,
    nodeId: row.node_id,
    databaseId: row.database_id,
    serverId: row.server_id,
    settings: JSON.parse(row.spec) as Record<string, unknown>,
    lastCheck: row.last_check === null ? null : sourceCheck.parse(JSON.parse(row.last_check)),
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** The orders of the list, each an index walk (migration 041). */
export const sourceOrder = keyset("backup_sources.id", {
  name: { sql: "backup_sources.name" },
  createdAt: "id",
});

export async function listSources(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("backup_sources").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(rows, f.limit, toSource);
}

/** A source by id (none for null: an imported artifact may have no source). */
export const findSource = async (db: Kysely<Database>, id: string | null) =>
  id === null
    ? undefined
    : db.selectFrom("backup_sources").selectAll().where("id", "=", id).executeTakeFirst();

export const findSources = (db: Kysely<Database>, ids: readonly string[]) =>
  ids.length === 0
    ? Promise.resolve([])
    : db.selectFrom("backup_sources").selectAll().where("id", "in", ids).execute();

/** The panel's one `steward` source (the unique index of migration 054). */
export const findStewardSource = (db: Kysely<Database>) =>
  db.selectFrom("backup_sources").selectAll().where("kind", "=", "steward").executeTakeFirst();

export async function insertSource(db: Kysely<Database>, row: NewSource) {
  await db.insertInto("backup_sources").values(row).execute();
}

export async function deleteSource(db: Kysely<Database>, id: string) {
  await db.deleteFrom("backup_sources").where("id", "=", id).execute();
}

/** How many backup sources an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "backup_sources", accountId);
