// What the plans test needs: the SQL a request runs (a Kysely plugin on the test server's
// database) and, for each SELECT, what its plan does wrong on either dialect.
import {
  type CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  sql,
} from "kysely";
import type { Dialect } from "../db/open.ts";

/** Collects the SELECTs run while `on`, compiled as the database gets them. */
export class QueryCapture implements KyselyPlugin {
  on = false;
  readonly queries: CompiledQuery[] = [];
  compile: ((args: PluginTransformQueryArgs) => CompiledQuery) | null = null;

  transformQuery(args: PluginTransformQueryArgs) {
    if (this.on && this.compile) {
      const compiled = this.compile(args);
      if (/^\s*(select|with)\b/i.test(compiled.sql)) this.queries.push(compiled);
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }

  /** Compiles with the database's own compiler (the plugin sees the tree, not the text). */
  attach(db: Kysely<unknown>) {
    this.compile = (args) => db.getExecutor().compileQuery(args.node, args.queryId);
  }

  take(): CompiledQuery[] {
    return this.queries.splice(0);
  }
}

export interface PlanRules {
  /** the database's tables (a plan also names subqueries and CTEs) */
  tables: ReadonlySet<string>;
  /** tables that stay tiny: scanned whole without complaint */
  small: ReadonlySet<string>;
  /** partial indexes whose rows are the filter itself, or always few: walked without complaint */
  partial: ReadonlySet<string>;
  /** the request narrows the rows (a filter, or an actor who sees only some): no bare walks */
  filtered: boolean;
  /**
   * the columns the request's filter compares to a value: a walk of a table holding one of
   * them must have it in its index condition (an account's walk that filters by kind reads
   * every task of the account; bounded, it reads the page)
   */
  bound: string[];
  /** each table's columns */
  columns: ReadonlyMap<string, ReadonlySet<string>>;
}

/** the query's conditions name the column, however they wrap it */
const names = (text: string, column: string) => {
  const where = text.search(/\bwhere\b/i);
  return where >= 0 && new RegExp(`\\b${column}\\b`).test(text.slice(where));
};

/**
 * The columns the query excludes values of (`not in`, `<>`, `!=`), whoever asks it: a
 * policy's condition (the system's task kinds once were one) as much as a request's filter.
 * A walk whose index range does not hold such a column reads the excluded rows and drops them.
 */
export function excluded(text: string): string[] {
  const where = text.search(/\bwhere\b/i);
  if (where < 0) return [];
  const found = text.slice(where).matchAll(/"?(\w+)"?\s*(?:not\s+in\b|<>|!=)/gi);
  return [...new Set([...found].map((m) => m[1] as string))];
}

/** The filter columns a walk of `table` drops rows by instead of bounding its range with them. */
function unbounded(rules: PlanRules, table: string, indexCond: string, text: string): string[] {
  const has = rules.columns.get(table);
  return [...new Set([...rules.bound, ...excluded(text)])].filter(
    (column) =>
      has?.has(column) && names(text, column) && !new RegExp(`\\b${column}\\b`).test(indexCond),
  );
}

/** The plan of a query as text lines (SQLite) or its JSON tree (PostgreSQL). */
export async function explain(db: Kysely<unknown>, dialect: Dialect, query: CompiledQuery) {
  if (dialect === "sqlite") {
    const r = await db.executeQuery<{ detail: string }>({
      ...query,
      sql: `explain query plan ${query.sql}`,
    });
    return r.rows.map((row) => row.detail);
  }
  // what the indexes allow, whatever the statistics of a tiny table say: no table scans, no
  // sorts, and each row read costing as much as a page (as on a large table, where the rows a
  // walk reads decide, not the few pages of a test's table)
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_seqscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    await sql`set local cpu_tuple_cost = 1`.execute(trx);
    await sql`set local cpu_index_tuple_cost = 1`.execute(trx);
    const r = await trx.executeQuery<{ "QUERY PLAN": unknown }>({
      ...query,
      sql: `explain (format json) ${query.sql}`,
    });
    const [top] = (r.rows[0]?.["QUERY PLAN"] ?? []) as { Plan: PgNode }[];
    if (!top) throw new Error(`no plan for ${query.sql}`);
    return top.Plan;
  });
}

const hasLimit = (text: string) => /\blimit\b/i.test(text);
/** an index range on the id alone (the keyset cursor): a walk, not a lookup */
const idRangeOnly = (cond: string) =>
  /^\(*(\w+\.)?"?id"?\)?(::text)? [<>]=? [^()]+\)*$/i.test(cond.trim()) ||
  /^\((\w+\.)?id[<>]=?\?\)$/i.test(cond.trim());

/** Problems of a SQLite plan (EXPLAIN QUERY PLAN lines). */
export function sqliteProblems(lines: string[], text: string, rules: PlanRules): string[] {
  const found: string[] = [];
  for (const line of lines) {
    if (/USE TEMP B-TREE/.test(line)) found.push(`sorts: ${line}`);
    const walk =
      /^(SCAN|SEARCH) (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (\w+))?(?: (\(.*\)))?/.exec(
        line,
      );
    if (!walk) continue;
    const [, how, table = "", index = "", cond] = walk;
    if (!rules.tables.has(table) || rules.small.has(table) || rules.partial.has(index)) continue;
    const indexed = /USING|PRIMARY KEY/.test(line);
    if (!indexed) found.push(`scans a table without an index: ${line}`);
    else if (how === "SCAN" && !hasLimit(text))
      found.push(`walks an index without a bound: ${line}`);
    else if (rules.filtered && (how === "SCAN" || (cond !== undefined && idRangeOnly(cond))))
      found.push(`walks every row and drops the filtered ones: ${line}`);
    else
      for (const column of unbounded(rules, table, cond ?? "", text))
        found.push(`filters by ${column} outside its index range: ${line}`);
  }
  return found;
}

export interface PgNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  Plans?: PgNode[];
}

/** Problems of a PostgreSQL plan (EXPLAIN (FORMAT JSON), sorting and seq scans off). */
export function pgProblems(
  node: PgNode,
  rules: PlanRules,
  text: string,
  limited = false,
): string[] {
  const found: string[] = [];
  const type = node["Node Type"];
  const table = node["Relation Name"] ?? "";
  const what = `${type}${table ? ` on ${table}` : ""}`;
  const cond = node["Index Cond"];
  const index = node["Index Name"] ?? "";
  if (type === "Sort" || type === "Incremental Sort") found.push(`sorts: ${what}`);
  else if (rules.small.has(table) || rules.partial.has(index)) {
    // tiny tables are fine however they are read
  } else if (type === "Seq Scan") found.push(`scans a table without an index: ${what}`);
  else if (type === "Index Scan" || type === "Index Only Scan") {
    if (!cond && !limited) found.push(`walks an index without a bound: ${what}`);
    else if (rules.filtered && node.Filter && (!cond || idRangeOnly(cond)))
      found.push(`walks every row and drops the filtered ones: ${what} (filter ${node.Filter})`);
    else if (node.Filter)
      for (const column of unbounded(rules, table, cond ?? "", text))
        if (new RegExp(`\\b${column}\\b`).test(node.Filter))
          found.push(
            `filters by ${column} outside its index range: ${what} (filter ${node.Filter})`,
          );
  }
  const below = limited || type === "Limit";
  for (const child of node.Plans ?? []) found.push(...pgProblems(child, rules, text, below));
  return found;
}
