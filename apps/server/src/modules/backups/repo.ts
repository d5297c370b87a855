// Every line of SQL of the backup_destinations table.
import type { BackupDestination, DestinationTest } from "@steward/contracts/backups";
import { destinationTest } from "@steward/contracts/backups";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { BackupDestinationTable } from "../../db/schema-backups.ts";
import { keyset, type Walk } from "../../lib/keyset.ts";
import { countOfAccountIn, msToIso } from "../../lib/sql.ts";
import { type ListScope, pageOfWalksByIds } from "../../lib/walks.ts";

export type DestinationRow = Selectable<BackupDestinationTable>;
export type NewDestination = Insertable<BackupDestinationTable>;

export function toDestination(row: DestinationRow): BackupDestination {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    kind: row.kind,
    settings: JSON.parse(row.settings) as BackupDestination["settings"],
    secrets: JSON.parse(row.secret_names) as string[],
    lastTest: row.last_test === null ? null : destinationTest.parse(JSON.parse(row.last_test)),
    createdAt: msToIso(Number(row.created_at)),
    updatedAt: msToIso(Number(row.updated_at)),
  };
}

/** The orders of the list, each an index walk (migration 039). */
export const destinationOrder = keyset("backup_destinations.id", {
  name: { sql: "backup_destinations.name" },
  createdAt: "id",
});

/** A page of destinations; what an actor sees is read one account at a time. */
export async function listDestinations(
  db: Kysely<Database>,
  scope: ListScope,
  f: { account?: string; limit: number; walk: Walk },
) {
  let q = f.walk.apply(db.selectFrom("backup_destinations").selectAll()).limit(f.limit + 1);
  if (scope.where) q = q.where(scope.where);
  if (f.account) q = q.where("account_id", "=", f.account);
  const rows = await pageOfWalksByIds(db, scope.walks, f.limit + 1, q, f.walk);
  return f.walk.page(rows, f.limit, toDestination);
}

export const findDestination = (db: Kysely<Database>, id: string) =>
  db.selectFrom("backup_destinations").selectAll().where("id", "=", id).executeTakeFirst();

export async function insertDestination(db: Kysely<Database>, row: NewDestination) {
  await db.insertInto("backup_destinations").values(row).execute();
}

export async function recordTest(
  db: Kysely<Database>,
  id: string,
  test: DestinationTest,
  at: number,
) {
  await db
    .updateTable("backup_destinations")
    .set({ last_test: JSON.stringify(test), tested_at: at })
    .where("id", "=", id)
    .execute();
}

export async function deleteDestination(db: Kysely<Database>, id: string) {
  await db.deleteFrom("backup_destinations").where("id", "=", id).execute();
}

/** How many backup destinations an account owns (an account that owns any is not deleted). */
export const countOfAccount = (db: Kysely<Database>, accountId: string) =>
  countOfAccountIn(db, "backup_destinations", accountId);
