// SQL text that generates rows in the database itself, the same on SQLite and PostgreSQL:
// a series of row numbers `n` (WITH RECURSIVE on SQLite, generate_series on PostgreSQL) and
// expressions over `n` that every generated column uses. A million rows are one statement,
// not a million round trips.
import { type Kysely, sql } from "kysely";

export type Dialect = "sqlite" | "postgres";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // the alphabet of lib/ids.ts

/** One base32 character of bits `shift`..`shift+4` of an integer expression. */
const char = (expr: string, shift: number) =>
  `substr('${ALPHABET}', cast((((${expr}) >> ${shift}) & 31) as integer) + 1, 1)`;

/**
 * An identifier shaped like newId(): the prefix, 10 characters of the time in milliseconds
 * (so ids sort by time, as cursors expect), then 16 characters; here the row's number instead
 * of random ones, so the ids of one table never collide and other tables can name them.
 */
export function idSql(prefix: string, msExpr: string, seqExpr: string): string {
  const time = [45, 40, 35, 30, 25, 20, 15, 10, 5, 0].map((s) => char(msExpr, s));
  const tail = [30, 25, 20, 15, 10, 5, 0].map((s) => char(seqExpr, s));
  return `'${prefix}_' || ${time.join(" || ")} || '000000000' || ${tail.join(" || ")}`;
}

/** A table of `count` rows whose ids are spread evenly in time up to `end` (ms). */
export interface Series {
  prefix: string;
  count: number;
  start: number;
  step: number;
}

export function series(prefix: string, count: number, end: number, spanMs: number): Series {
  const step = Math.max(1, Math.floor(spanMs / Math.max(1, count)));
  return { prefix, count, start: end - step * count, step };
}

/** The time (ms) of row `index` of a series. */
export const timeSql = (s: Series, index: string) => `(${s.start} + (${index}) * ${s.step})`;

/** The id of row `index` of a series. */
export const idOf = (s: Series, index: string) => idSql(s.prefix, timeSql(s, index), index);

/** `values[expr]`: the value at a small integer expression's position. */
export function pick(expr: string, values: (string | number | null)[]): string {
  const arms = values.map((v, i) => `when ${i} then ${literal(v)}`).join(" ");
  return `case (${expr}) ${arms} end`;
}

/** The first value whose threshold `expr` is below, else the last: a mix by shares. */
export function mix(
  expr: string,
  arms: [number, string | number | null][],
  last: string | number | null,
) {
  const whens = arms.map(([below, v]) => `when (${expr}) < ${below} then ${literal(v)}`).join(" ");
  return `case ${whens} else ${literal(last)} end`;
}

export function literal(v: string | number | null): string {
  if (v === null) return "null";
  if (typeof v === "number") return String(v);
  return `'${v.replaceAll("'", "''")}'`;
}

/**
 * Inserts rows n = 0..count-1, each column computed by its SQL expression over `n`;
 * `join` (a JOIN clause) brings other rows into the expressions.
 */
export async function insertSeries(
  db: Kysely<unknown>,
  dialect: Dialect,
  table: string,
  count: number,
  columns: Record<string, string>,
  join = "",
): Promise<void> {
  if (count <= 0) return;
  const names = Object.keys(columns).join(", ");
  const exprs = Object.values(columns).join(",\n  ");
  const text =
    dialect === "postgres"
      ? `insert into ${table} (${names}) select ${exprs}
         from generate_series(cast(0 as bigint), ${count - 1}) as g(n) ${join}`
      : `with recursive g(n) as (select 0 union all select n + 1 from g where n < ${count - 1})
         insert into ${table} (${names}) select ${exprs} from g ${join}`;
  await sql.raw(text).execute(db);
}
