// A page of a list as the union of a few index walks (docs/architecture.md, "Lists"): when the
// rows an actor may see, or a filter, are a short list of equalities (its accounts, the actions
// of a prefix), the page is read once per equality, each walk ordered and limited by an index,
// and the newest rows of all of them kept. No walk reads rows it then drops.
import { countLimit } from "@steward/contracts";
import { type Expression, type Kysely, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { Walk } from "./keyset.ts";
import { boundedCount, countedRows } from "./sql.ts";

type Condition = Expression<SqlBool>;

/**
 * Past this many walks, one walk of the id order reads less than many small ones (an actor who
 * sees that many accounts sees most rows).
 */
export const MAX_WALKS = 32;

/** Both narrowings at once: each pair of their conditions; null means "not narrowed". */
export function crossWalks(a: Condition[] | null, b: Condition[] | null): Condition[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a
    .flatMap((x) => b.map((y) => ({ x, y })))
    .map(({ x, y }) => sql<SqlBool>`(${x} and ${y})`);
}

/** Newest first by id (the order of every list). */
export const byIdDesc = (a: { id: string }, b: { id: string }) =>
  a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

// biome-ignore lint/suspicious/noExplicitAny: a page of any list's table
type PageQuery<T> = SelectQueryBuilder<any, any, T>;

/**
 * The first `limit` rows of a page (`page`: ordered and limited, as each walk reads it) read
 * once per walk (once without any when there is no short list of walks), each row once, in
 * `order`. The walks are one statement: each walk's query a subquery of a UNION ALL, so five
 * accounts cost one statement (one round trip on PostgreSQL), not five. The union itself is
 * not ordered in SQL (that would sort): its rows, a page per walk at most, are merged here.
 */
export async function pageOfWalks<T extends { id: string }, D>(
  db: Kysely<D>,
  walks: Condition[] | null,
  limit: number,
  page: PageQuery<T>,
  order: (a: T, b: T) => number = byIdDesc,
): Promise<T[]> {
  if (walks === null || walks.length > MAX_WALKS) return page.execute();
  // biome-ignore lint/suspicious/noExplicitAny: the subqueries' rows are the page's
  const from = db as Kysely<any>;
  const [first, ...others] = walks.map((walk, i) =>
    from.selectFrom(page.where(walk).as(`w${i}`)).selectAll(),
  );
  if (!first) return [];
  const found = others.length
    ? await others.reduce((union, next) => union.unionAll(next), first).execute()
    : await page.where(walks[0] as Condition).execute();
  const rows = new Map<string, T>();
  for (const row of found as T[]) rows.set(row.id, row);
  return [...rows.values()].sort(order).slice(0, limit);
}

/**
 * pageOfWalks for a table of many wide rows, read in two statements: the walks read only what
 * orders the rows (the id, and a sorted list's sort key: each walk's index holds both), merged
 * here, then the page's rows by id. Five accounts' walks for a page of 51 read 255 keys and 51
 * rows instead of 255 rows: making a row into an object costs more than reading its index
 * entry (bench/README.md, bench:api). `page` selects from one table, its rows' `id` its primary
 * key; its conditions decide the ids, the second statement reads rows by id alone. `order` is
 * the list's walk (lib/keyset.ts) when it is not newest first by id.
 */
export async function pageOfWalksByIds<T extends { id: string }, D>(
  db: Kysely<D>,
  walks: Condition[] | null,
  limit: number,
  page: PageQuery<T>,
  order?: Pick<Walk, "compare" | "keysOnly">,
): Promise<T[]> {
  const compare = order?.compare ?? byIdDesc;
  if (walks === null || walks.length < 2 || walks.length > MAX_WALKS)
    return pageOfWalks(db, walks, limit, page, compare);
  const keysOnly = order
    ? order.keysOnly(page)
    : page.clearSelect().select(sql.ref<string>("id").as("id"));
  const keys = await pageOfWalks(db, walks, limit, keysOnly as PageQuery<{ id: string }>, compare);
  if (keys.length === 0) return [];
  const rows = await page
    .clearWhere()
    .clearOrderBy()
    .clearLimit()
    .where(
      sql.ref("id"),
      "in",
      keys.map((r) => r.id),
    )
    .execute();
  // a row deleted between the two statements: read in one statement again, so that the page
  // keeps its length (one row short, the list would seem to end there)
  if (rows.length < keys.length) return pageOfWalks(db, walks, limit, page, compare);
  return rows.sort(compare);
}

/** What a list may show an actor: the condition that decides, and the walks that cover it. */
export interface ListScope {
  where: Condition | null;
  walks: Condition[] | null;
}

/**
 * How many rows a query gives, walk by walk (each row once), counting no further than
 * countLimit + 1 (lib/sql.ts, boundedCount). One statement counts each walk (bounded); only
 * when several walks hold rows and none reaches the limit are their ids read, since walks may
 * overlap (a resource within an account).
 */
export async function countOfWalks<D>(
  db: Kysely<D>,
  walks: Condition[] | null,
  // biome-ignore lint/suspicious/noExplicitAny: any query of any table with an id column
  rows: SelectQueryBuilder<any, any, any>,
): Promise<number> {
  if (!walks || walks.length > MAX_WALKS) return boundedCount(db, rows);
  if (walks.length === 0) return 0;
  const each = walks.map(
    (walk, i) =>
      sql`(select count(*) from (${countedRows(rows.where(walk))}) w) as ${sql.ref(`n${i}`)}`,
  );
  const r = await sql<Record<string, number | string>>`select ${sql.join(each)}`.execute(db);
  const counts = Object.values(r.rows[0] ?? {}).map(Number);
  if (counts.some((n) => n > countLimit)) return countLimit + 1;
  if (counts.filter((n) => n > 0).length <= 1) return Math.max(0, ...counts);
  const ids = await pageOfWalks(
    db,
    walks,
    countLimit + 1,
    rows.select(sql.ref<string>("id").as("id")).limit(countLimit + 1) as PageQuery<{ id: string }>,
  );
  return ids.length;
}
