// Where a source writes to a table: Kysely's insertInto/updateTable/deleteFrom/replaceInto/
// mergeInto called with the table's name (an alias after it is allowed), or SQL text in a
// string or template (raw `sql`, a driver's query) that inserts into, updates or deletes from
// it. Found on the syntax tree (architecture/source.ts), so comments never count.
import type { AnyNode, Node } from "acorn";
import { simple } from "acorn-walk";
import type { SourceFile } from "./source.ts";

export type TableWrite = {
  path: string;
  line: number;
  table: string;
  /** the builder method, or "sql" for SQL text */
  how: string;
};

const BUILDER_WRITES = new Set([
  "insertInto",
  "updateTable",
  "deleteFrom",
  "replaceInto",
  "mergeInto",
]);
/** `insert into t`, `insert or replace into t`, `update t [alias] set`, `delete from t` (quotes allowed) */
const SQL_WRITE =
  /\b(?:insert\s+(?:or\s+\w+\s+)?into|delete\s+from|update)\s+"?([a-z_][a-z0-9_]*)"?(?=\s|\(|$)((?:\s+(?:as\s+)?\w+)?\s+set\b)?/gi;

/** The table named by a string argument: "tasks" or "tasks as t". */
function tableOf(node: AnyNode | undefined): string | null {
  let text: string | undefined;
  if (node?.type === "Literal" && typeof node.value === "string") text = node.value;
  if (node?.type === "TemplateLiteral" && node.expressions.length === 0)
    text = node.quasis[0]?.value.cooked ?? undefined;
  return text?.trim().split(/\s+/)[0] ?? null;
}

/** Tables that SQL text writes to (an `update` counts with its `set`). */
export function sqlWrites(text: string): string[] {
  const tables: string[] = [];
  for (const match of text.matchAll(SQL_WRITE)) {
    const isUpdate = /^update/i.test(match[0]);
    if (match[1] && (!isUpdate || match[2])) tables.push(match[1].toLowerCase());
  }
  return tables;
}

/** Every write of `file` to one of `tables`, in source order. */
export function tableWrites(file: SourceFile, tables: ReadonlySet<string>): TableWrite[] {
  const found: TableWrite[] = [];
  const add = (node: Node, table: string | null, how: string) => {
    if (table && tables.has(table))
      found.push({ path: file.path, line: node.loc?.start.line ?? 0, table, how });
  };
  simple(file.program, {
    CallExpression(node) {
      const callee = node.callee;
      if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier") return;
      if (BUILDER_WRITES.has(callee.property.name))
        add(node, tableOf(node.arguments[0] as AnyNode | undefined), callee.property.name);
    },
    Literal(node) {
      if (typeof node.value === "string")
        for (const table of sqlWrites(node.value)) add(node, table, "sql");
    },
    TemplateLiteral(node) {
      // the parts between ${…} joined by a placeholder, so a statement split by one still reads
      const text = node.quasis.map((part) => part.value.cooked ?? part.value.raw).join(" ? ");
      for (const table of sqlWrites(text)) add(node, table, "sql");
    },
  });
  return found.sort((a, b) => a.line - b.line);
}
