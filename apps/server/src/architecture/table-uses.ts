// Finds where a program names a database table: Kysely's builder calls (selectFrom, insertInto,
// updateTable, deleteFrom, replaceInto, mergeInto, the joins, `with`) given the table as a string
// literal ("nodes" or "nodes as n", alone or in an array), `sql.table`/`sql.ref`/`sql.raw`
// literals, raw `sql` templates whose text mentions the table as a word, and SQL text in any
// string or template (a driver's query) that inserts into, updates or deletes from it. The
// syntax tree is walked, so a comment or an unrelated string never counts. Used by
// ownership.test.ts and engine/writes.test.ts.
import type { Node } from "acorn";
import { ancestor } from "acorn-walk";

export type TableUse = {
  table: string;
  line: number;
  write: boolean;
  /** the builder method or `sql` helper, or "sql" for SQL text */
  how: string;
};

/** The table of a use whose name is not a literal (`db.selectFrom(table)`): any table. */
export const DYNAMIC = "*";
const BUILDERS = new Set(["selectFrom", "insertInto", "updateTable", "deleteFrom"]);

const WRITES = new Set(["insertInto", "updateTable", "deleteFrom", "replaceInto", "mergeInto"]);
const READS = new Set([
  "selectFrom",
  "innerJoin",
  "leftJoin",
  "rightJoin",
  "fullJoin",
  "innerJoinLateral",
  "leftJoinLateral",
  "crossJoin",
  "with",
  "withRecursive",
  "withMaterialized",
  "withNotMaterialized",
  "using",
]);
/** `sql.<helper>(literal)` helpers whose literal names a table (`sql.ref("t.col")` too). */
const SQL_HELPERS = new Set(["table", "ref", "id", "raw"]);
/** `insert into t`, `insert or replace into t`, `update t [alias] set`, `delete from t` (quotes allowed) */
const SQL_WRITE =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|delete\s+from|update)\s+"?([a-z_][a-z0-9_]*)"?(?=\s|\(|$)((?:\s+(?:as\s+)?\w+)?\s+set\b)?/gi;

/** Tables that SQL text writes to (an `update` counts with its `set`). */
function sqlWrites(text: string): Set<string> {
  const tables = new Set<string>();
  for (const match of text.matchAll(SQL_WRITE)) {
    const isUpdate = /^update/i.test(match[0]);
    if (match[1] && (!isUpdate || match[2])) tables.add(match[1].toLowerCase());
  }
  return tables;
}

type AnyNode = Node & Record<string, unknown>;

const literalStrings = (node: AnyNode | undefined): string[] => {
  if (!node) return [];
  if (node.type === "Literal" && typeof node.value === "string") return [node.value];
  if (node.type === "TemplateLiteral" && (node.expressions as unknown[]).length === 0)
    return [(node.quasis as { value: { cooked: string } }[])[0]?.value.cooked ?? ""];
  if (node.type === "ArrayExpression")
    return (node.elements as AnyNode[]).flatMap((element) => literalStrings(element));
  return [];
};

/** "nodes as n" -> "nodes"; "public.nodes" -> "nodes". */
const tableOf = (reference: string): string => {
  const name = reference.trim().split(/\s+as\s+/i)[0] ?? "";
  const parts = name.split(".");
  return (parts.length > 1 ? parts[parts.length - 2] : parts[0]) ?? "";
};

/** `with [recursive] name [(columns)] as (` and `, name as (`: a common table expression. */
const CTE =
  /(?:\bwith(?:\s+recursive)?|,)\s*([a-z_][a-z0-9_]*)\s*(?:\([^()]*\)\s*)?as\s*(?:not\s+)?(?:materialized\s*)?\(/gi;

/** The tables a text names as words, except those it defines as common table expressions. */
const mentions = (text: string, tables: readonly string[]): string[] => {
  const defined = new Set([...text.matchAll(CTE)].map((m) => (m[1] ?? "").toLowerCase()));
  return tables.filter(
    (table) =>
      !defined.has(table) && new RegExp(`(?<![A-Za-z0-9_])${table}(?![A-Za-z0-9_])`).test(text),
  );
};

const isSqlTag = (node: AnyNode): boolean =>
  (node.type === "Identifier" && node.name === "sql") ||
  (node.type === "MemberExpression" &&
    (node.object as AnyNode).type === "Identifier" &&
    (node.object as AnyNode).name === "sql");

/** Every use of one of `tables` in `program`, in source order. */
export function tableUses(program: Node, tables: readonly string[]): TableUse[] {
  const known = new Set(tables);
  const uses: TableUse[] = [];
  const add = (table: string, node: Node, write: boolean, how: string) => {
    if (known.has(table) || table === DYNAMIC)
      uses.push({ table, line: node.loc?.start.line ?? 0, write, how });
  };
  const sqlText = (text: string, node: Node, onlyWrites: boolean) => {
    const written = sqlWrites(text);
    if (onlyWrites) for (const table of written) add(table, node, true, "sql");
    else for (const table of mentions(text, tables)) add(table, node, written.has(table), "sql");
  };
  ancestor(program, {
    CallExpression(node) {
      const call = node as unknown as AnyNode;
      const callee = call.callee as AnyNode;
      if (callee.type !== "MemberExpression" || callee.computed) return;
      const method = (callee.property as AnyNode).name as string;
      const first = (call.arguments as AnyNode[])[0];
      if (WRITES.has(method) || READS.has(method)) {
        const write = WRITES.has(method);
        for (const reference of literalStrings(first)) add(tableOf(reference), node, write, method);
        if (
          BUILDERS.has(method) &&
          (first?.type === "Identifier" || first?.type === "MemberExpression")
        )
          add(DYNAMIC, node, write, method);
        return;
      }
      const object = callee.object as AnyNode;
      if (object.type === "Identifier" && object.name === "sql" && SQL_HELPERS.has(method)) {
        for (const text of literalStrings(first)) {
          if (method === "raw") sqlText(text, node, false);
          else
            add(
              tableOf(text.includes(".") ? text.split(".").slice(0, -1).join(".") : text),
              node,
              false,
              `sql.${method}`,
            );
        }
      }
    },
    TaggedTemplateExpression(node) {
      const tagged = node as unknown as AnyNode;
      if (!isSqlTag(tagged.tag as AnyNode)) return;
      sqlText(templateText(tagged.quasi as AnyNode), node, false);
    },
    // SQL text anywhere else (a driver's query): its writes
    Literal(node) {
      const value = (node as unknown as AnyNode).value;
      if (typeof value === "string") sqlText(value, node, true);
    },
    TemplateLiteral(node) {
      sqlText(templateText(node as unknown as AnyNode), node, true);
    },
  });
  // a text seen twice (an `sql` template, a `sql.raw` literal) is one use
  const seen = new Set<string>();
  return uses
    .filter((use) => {
      const key = `${use.table}:${use.line}:${use.write}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line);
}

/** The parts between ${…} joined by a placeholder, so a statement split by one still reads. */
const templateText = (template: AnyNode): string =>
  (template.quasis as { value: { cooked: string | null; raw: string } }[])
    .map((part) => part.value.cooked ?? part.value.raw)
    .join(" ? ");
