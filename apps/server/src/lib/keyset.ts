// Keyset pagination for every list: a list is walked along an index in the order its `sort`
// asks for, and a page starts after the last row of the previous one. Without a sort, the
// order is the id's (creation: ids are time-ordered) and a cursor is the last id, as before.
import { type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import { invalid } from "./errors.ts";
import { checkCursor, pageOf } from "./sql.ts";

/** One way to sort a list: the SQL it orders by (read back with each row as `sort_key`). */
export interface SortKey {
  /** an SQL expression of the repo's own (never user input), indexed as (expression, id) */
  sql: string;
  /** the value is a number (else a string) */
  numeric?: boolean;
  /** the expression is unique: the id adds nothing to the order (its index is enough) */
  unique?: boolean;
}

/** The sort keys of a list; "id" for a key that is creation order (the id's). */
export type SortKeys = Record<string, SortKey | "id">;

/** A row as a walk reads it: its id, and its sort key when the list is sorted. */
type Keyed = { id: string; sort_key?: unknown };

type Position = { value?: string | number; id: string };

const badCursor = () =>
  invalid("querystring.cursor", "must be a cursor returned by a previous page");

/** A sorted list's cursor: its sort, the last row's sort value and id, opaque to clients. */
const encode = (sort: string, value: string | number, id: string) =>
  Buffer.from(JSON.stringify([sort, value, id])).toString("base64url");

function decode(sort: string, cursor: string, numeric: boolean): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw badCursor();
  const [name, value, id] = parsed as unknown[];
  const valueFits = numeric
    ? typeof value === "number" && Number.isSafeInteger(value)
    : typeof value === "string" && value.length <= 500;
  if (name !== sort || !valueFits || typeof id !== "string" || !id) throw badCursor();
  return { value: value as string | number, id: checkCursor(id) as string };
}

/** How one request walks a list: its order, where it starts, and how its next page starts. */
export interface Walk {
  /**
   * orders the query, keeps the rows after the cursor and reads each row's sort key as
   * `sort_key` (the caller sets the limit)
   */
  apply<DB, TB extends keyof DB, O>(
    q: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** the page of rows fetched with limit + 1 (each made an item), and the next one's cursor */
  page<R extends Keyed, T>(
    rows: R[],
    limit: number,
    item: (row: R) => T,
  ): { items: T[]; nextCursor: string | null };
  /** the walk's order of two rows (to merge walks: lib/walks.ts); text in code-unit order */
  compare(a: Keyed, b: Keyed): number;
  /**
   * the query (ordered by `apply`) reading only what orders its rows: the id, and the sort key
   * when the list is sorted (lib/walks.ts, pageOfWalksByIds)
   */
  keysOnly<DB, TB extends keyof DB, O>(
    q: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, Keyed>;
}

const compareValues = (a: unknown, b: unknown) =>
  a === b ? 0 : (a as string | number) < (b as string | number) ? -1 : 1;

/**
 * A list's orders: `sorts` by `sort` name, each walked as (expression, id) both ascending or
 * both descending, so one index serves both directions. `idColumn` is the list's id column.
 */
export function keyset(idColumn: string, sorts: SortKeys) {
  return (sort: string | undefined, cursor: string | undefined): Walk => {
    const name = sort?.replace(/^-/, "") ?? "";
    const desc = sort?.startsWith("-") ?? false;
    const key = sorts[name];
    const by = key === undefined || key === "id" ? undefined : key;
    const id = sql.ref(idColumn);
    const dir = desc ? "desc" : "asc";
    const after = !cursor
      ? undefined
      : by
        ? decode(name, cursor, by.numeric === true)
        : { id: checkCursor(cursor) as string };
    const keyOf = (row: Keyed) => (by?.numeric ? Number(row.sort_key) : String(row.sort_key));
    return {
      apply(q) {
        const than = sql.raw(desc ? "<" : ">");
        if (!by) {
          const out = q.orderBy(id, dir);
          return after ? out.where(sql<SqlBool>`${id} ${than} ${after.id}`) : out;
        }
        const expr = sql.raw(by.sql);
        let out = q.select(sql`${expr}`.as("sort_key")).orderBy(expr, dir) as typeof q;
        if (!by.unique) out = out.orderBy(id, dir);
        if (!after) return out;
        return out.where(
          by.unique
            ? sql<SqlBool>`${expr} ${than} ${after.value}`
            : sql<SqlBool>`(${expr}, ${id}) ${than} (${after.value}, ${after.id})`,
        );
      },
      page(rows, limit, item) {
        const page = pageOf(rows, limit, (row) => (by ? encode(name, keyOf(row), row.id) : row.id));
        return { items: page.items.map(item), nextCursor: page.nextCursor };
      },
      compare(a, b) {
        const order = (by ? compareValues(keyOf(a), keyOf(b)) : 0) || compareValues(a.id, b.id);
        return desc ? -order : order;
      },
      keysOnly(q) {
        const ids = q.clearSelect().select(id.as("id"));
        return (by ? ids.select(sql`${sql.raw(by.sql)}`.as("sort_key")) : ids) as never;
      },
    };
  };
}
