// Finds where a program names a database table: Kysely's builder calls (selectFrom, insertInto,
// updateTable, deleteFrom, replaceInto, mergeInto, the joins, `with`) given the table as a string
// literal ("nodes" or "nodes as n", alone or in an array), `sql.table`/`sql.ref`/`sql.raw`
// literals, and raw `sql` templates whose text mentions the table as a word. The syntax tree is
// walked, so a comment or an unrelated string never counts. Used by ownership.test.ts.
import type { Node } from "acorn";
import { ancestor } from "acorn-walk";

export type TableUse = { table: string; line: number; write: boolean };

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
const RAW_WRITE =
  /^\s*(insert\s+into|update|delete\s+from|replace\s+into)\s+"?([a-z_][a-z0-9_]*)"?/i;

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

const mentions = (text: string, tables: readonly string[]): string[] =>
  tables.filter((table) => new RegExp(`(?<![A-Za-z0-9_])${table}(?![A-Za-z0-9_])`).test(text));

const isSqlTag = (node: AnyNode): boolean =>
  (node.type === "Identifier" && node.name === "sql") ||
  (node.type === "MemberExpression" &&
    (node.object as AnyNode).type === "Identifier" &&
    (node.object as AnyNode).name === "sql");

/** Every use of one of `tables` in `program`, in source order. */
export function tableUses(program: Node, tables: readonly string[]): TableUse[] {
  const known = new Set(tables);
  const uses: TableUse[] = [];
  const add = (table: string, node: Node, write: boolean) => {
    if (known.has(table)) uses.push({ table, line: node.loc?.start.line ?? 0, write });
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
        for (const reference of literalStrings(first)) add(tableOf(reference), node, write);
        if (
          BUILDERS.has(method) &&
          (first?.type === "Identifier" || first?.type === "MemberExpression")
        )
          uses.push({ table: DYNAMIC, line: node.loc?.start.line ?? 0, write });
        return;
      }
      const object = callee.object as AnyNode;
      if (object.type === "Identifier" && object.name === "sql" && SQL_HELPERS.has(method)) {
        for (const text of literalStrings(first)) {
          if (method === "raw") rawText(text, node);
          else
            add(
              tableOf(text.includes(".") ? text.split(".").slice(0, -1).join(".") : text),
              node,
              false,
            );
        }
      }
    },
    TaggedTemplateExpression(node) {
      const tagged = node as unknown as AnyNode;
      if (!isSqlTag(tagged.tag as AnyNode)) return;
      const quasi = tagged.quasi as AnyNode;
      const text = (quasi.quasis as { value: { cooked: string } }[])
        .map((part) => part.value.cooked)
        .join(" ? ");
      rawText(text, node);
    },
  });
  function rawText(text: string, node: Node) {
    const written = RAW_WRITE.exec(text)?.[2];
    for (const table of mentions(text, tables)) add(table, node, table === written);
  }
  return uses;
}
