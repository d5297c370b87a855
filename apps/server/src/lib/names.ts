// The names people read for rows that lists point at by id (an audit event's target, a task's,
// an event's account): each table's names asked of its owning repo, which declares them with
// `namesById("sites", "primary_domain")`, and the names of several tables read in one
// statement (a UNION ALL of one part per table: one round trip for a page, however many kinds
// of target it points at).
import { type Kysely, type RawBuilder, sql } from "kysely";

/** A row of a names statement: its part (`k`), id and name, and what the part adds. */
export interface NamedRow {
  k: number;
  id: string;
  name: string;
  /** null, or what a part selects beside the name (the task removing a site: sites/repo.ts) */
  extra: string | null;
}

/** One table's rows by id as part `k` of a names statement (`k, id, name, extra`). */
export type NamesPart = (k: number) => RawBuilder<NamedRow>;

/** The rows of each part (in the parts' order), in one statement. */
export async function namesIn<D>(db: Kysely<D>, parts: readonly NamesPart[]) {
  const found = parts.map((): NamedRow[] => []);
  if (!parts.length) return found;
  const union = sql.join(
    parts.map((part, k) => part(k)),
    sql` union all `,
  );
  const { rows } = await sql<NamedRow>`${union}`.execute(db);
  for (const row of rows) found[Number(row.k)]?.push(row);
  return found;
}

/** A table's display names by id, as a part of a names statement or read alone. */
export interface NameSource {
  /** the part that reads these ids' names (at least one id) */
  part(ids: readonly string[]): NamesPart;
  /** these ids' names, alone */
  of<D>(db: Kysely<D>, ids: readonly string[]): Promise<Map<string, string>>;
}

/**
 * The display names of a table's rows, its `column` by id, and `extra` (an expression of the
 * row, null by default) beside each. Declared by the table's owning repo only:
 * `export const siteNames = namesById("sites", "primary_domain")`.
 */
export function namesById(
  table: string,
  column: string,
  extra: RawBuilder<string | null> = sql`null`,
): NameSource {
  const part =
    (ids: readonly string[]): NamesPart =>
    (k) =>
      sql<NamedRow>`select ${sql.lit(k)} as k, id, ${sql.ref(column)} as name, ${extra} as extra
        from ${sql.table(table)} where id in (${sql.join([...new Set(ids)])})`;
  return {
    part,
    async of(db, ids) {
      const [rows = []] = await namesIn(db, ids.length ? [part(ids)] : []);
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}
