import { countLimit } from "@steward/contracts";
import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from "kysely";
import { AppError } from "./errors.ts";
import { msToIso } from "./iso.ts";

export { msToIso };

/** PostgreSQL numbers its parameters ($1), SQLite does not (?). */
// biome-ignore lint/suspicious/noExplicitAny: any database's connection or transaction
export const isPostgres = (db: Kysely<any>) => sql`${0}`.compile(db).sql === "$1";

/** Booleans come back as 0/1 from SQLite and true/false from PostgreSQL. */
export const toBool = (v: unknown): boolean => v === true || v === 1 || v === "1";

/** Dates come back as ISO strings from SQLite and Date objects from PostgreSQL. */
export const toIso = (v: unknown): string => new Date(v as string | number | Date).toISOString();
export const toIsoOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : toIso(v);
/** A nullable epoch-ms column as ISO 8601, null kept. */
export const isoOrNull = (ms: number | null): string | null =>
  ms === null ? null : msToIso(Number(ms));

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching `text` literally anywhere; use with `escape '\'`. */
export const containsPattern = (text: string) => `%${escapeLike(text)}%`;

type Operand = Expression<unknown> | RawBuilder<unknown>;

/**
 * `value LIKE '%text%'` with `%`, `_` and `\` in `text` taken literally, on both dialects
 * (SQLite has no default escape character: without `ESCAPE` a `%` typed in a search matches
 * everything). Case: SQLite's LIKE ignores ASCII case, PostgreSQL's does not; lower both sides.
 */
export const likeContains = (value: Operand, text: string) =>
  sql<SqlBool>`${value} like ${containsPattern(text)} escape '\\'`;

/** `value LIKE 'prefix%'`, the prefix taken literally. */
export const likePrefix = (value: Operand, prefix: string) =>
  sql<SqlBool>`${value} like ${`${escapeLike(prefix)}%`} escape '\\'`;

/**
 * `value` starts with `prefix` (taken literally), as a range an index on `value` walks:
 * `value >= prefix and value < prefix || U+10FFFF` (byte order, as SQLite's and PostgreSQL's
 * "C" collation compare), then the exact LIKE within that range.
 */
export const startsWith = (value: Operand, prefix: string) =>
  sql<SqlBool>`(${value} >= ${prefix} and ${value} < ${`${prefix}\u{10FFFF}`} and ${likePrefix(value, prefix)})`;

/** Page results: rows were fetched with limit + 1; the extra row means there is a next page. */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

/** Cursors are the ids they point after; they are validated as ids before reaching SQL. */
export function checkCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) {
    throw new AppError(
      "VALIDATION_FAILED",
      "querystring.cursor: must be a cursor returned by a previous page",
      [{ field: "querystring.cursor", message: "must be a cursor returned by a previous page" }],
    );
  }
  return cursor;
}

/** How many rows of `table` an account owns (for its owner repo: an account that owns any is
 *  not deleted, modules/accounts/owned.ts). */
export async function countOfAccountIn<D>(
  db: Kysely<D>,
  table: string,
  accountId: string,
): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`
    select count(*) as n from ${sql.table(table)} where account_id = ${accountId}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * How many rows a query gives, counting no further than `limit` + 1 (by default the contracts'
 * `countLimit`: that value means "more"): the count reads at most that many index entries,
 * however many rows match. In id order, as the lists walk (each filter's index ends with the
 * id): otherwise PostgreSQL may read the table from its start until enough rows match (a
 * state of 0.5% of a million tasks: 200,000 rows read for 1,001 counted).
 */
export const countedRows = (
  // biome-ignore lint/suspicious/noExplicitAny: any query of one table with an id column
  rows: SelectQueryBuilder<any, any, any>,
  limit = countLimit,
) =>
  rows
    .select(sql.lit(1).as("one"))
    .orderBy(sql.ref("id"))
    .limit(limit + 1);

export async function boundedCount<D>(
  db: Kysely<D>,
  // biome-ignore lint/suspicious/noExplicitAny: any query of one table with an id column
  rows: SelectQueryBuilder<any, any, any>,
  limit = countLimit,
): Promise<number> {
  const counted = countedRows(rows, limit);
  const r = await sql<{
    n: number | string;
  }>`select count(*) as n from (${counted}) counted`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
