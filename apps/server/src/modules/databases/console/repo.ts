// SQL of the SQL console's history (migration 034), nothing else.
import type { QueryHistoryItem } from "@steward/contracts/databases";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database } from "../../../db/schema.ts";
import type { DatabaseQueryTable } from "../../../db/schema-database-queries.ts";
import { keyset, type Walk } from "../../../lib/keyset.ts";
import { msToIso } from "../../../lib/sql.ts";

export type QueryRow = Selectable<DatabaseQueryTable>;
/** the prefix of history ids (time-ordered) */
export const QUERY_ID = "dbq";

export async function insertQuery(db: Kysely<Database>, row: Insertable<DatabaseQueryTable>) {
  await db.insertInto("database_queries").values(row).execute();
}

const toItem = (row: QueryRow): QueryHistoryItem => ({
  id: row.id,
  databaseId: row.database_id,
  sql: row.statement,
  mode: row.mode,
  outcome: row.outcome,
  error: row.error,
  rowCount: row.row_count === null ? null : Number(row.row_count),
  durationMs: Number(row.duration_ms),
  at: msToIso(Number(row.at)),
});

/** The history's one order: creation (the id), newest first unless asked otherwise. */
export const historyOrder = keyset("database_queries.id", { createdAt: "id" });

/** A page of one actor's statements on one database: the (database, actor, id) index. */
export async function listQueries(
  db: Kysely<Database>,
  f: { databaseId: string; actorId: string; limit: number; walk: Walk },
) {
  const rows = await f.walk
    .apply(db.selectFrom("database_queries").selectAll())
    .where("database_id", "=", f.databaseId)
    .where("actor_id", "=", f.actorId)
    .limit(f.limit + 1)
    .execute();
  return f.walk.page(rows, f.limit, toItem);
}
