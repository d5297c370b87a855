// Keyset pagination for every list: a list is walked along an index in the order its `sort`
// asks for, and a page starts after the last row of the previous one. Without a sort, the
// order is the id's (creation: ids are time-ordered) and a cursor is the last id, as before.
import { type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import { invalid } from "./errors.ts";
import { checkCursor, pageOf } from "./sql.ts";

/** One way to sort a list: the SQL it orders by, and that value read back from a listed item. */
export interface SortKey<T> {
  /** an SQL expression of the repo's own (never user input), indexed as (expression, id) */
  sql: string;
  value: (item: T) => string | number;
  /** the value is a number (else a string) */
  numeric?: boolean;
  /** the expression is unique: the id adds nothing to the order (its index is enough) */
  unique?: boolean;
}

/** The sort keys of a list; "id" for a key that is creation order (the id's). */
export type SortKeys<T> = Record<string, SortKey<T> | "id">;

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
export interface Walk<T> {
  /** orders the query and keeps the rows after the cursor (the caller sets the limit) */
  apply<DB, TB extends keyof DB, O>(
    q: SelectQueryBuilder<DB, TB, O>,
  ): SelectQueryBuilder<DB, TB, O>;
  /** the page of rows fetched with limit + 1, with the cursor of the next one */
  page(rows: T[], limit: number): { items: T[]; nextCursor: string | null };
}

/**
 * A list's orders: `sorts` by `sort` name, each walked as (expression, id) both ascending or
 * both descending, so one index serves both directions. `idColumn` is the list's id column.
 */
export function keyset<T extends { id: string }>(idColumn: string, sorts: SortKeys<T>) {
  return (sort: string | undefined, cursor: string | undefined): Walk<T> => {
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
    return {
      apply(q) {
        const than = sql.raw(desc ? "<" : ">");
        if (!by) {
          const out = q.orderBy(id, dir);
          return after ? out.where(sql<SqlBool>`${id} ${than} ${after.id}`) : out;
        }
        const expr = sql.raw(by.sql);
        let out = q.orderBy(expr, dir);
        if (!by.unique) out = out.orderBy(id, dir);
        if (!after) return out;
        return out.where(
          by.unique
            ? sql<SqlBool>`${expr} ${than} ${after.value}`
            : sql<SqlBool>`(${expr}, ${id}) ${than} (${after.value}, ${after.id})`,
        );
      },
      page(rows, limit) {
        return pageOf(rows, limit, (row) => (by ? encode(name, by.value(row), row.id) : row.id));
      },
    };
  };
}
