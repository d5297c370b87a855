// The SQL console's check of a statement before it reaches a server: one statement only, and
// in read mode only statements that read. The server's read-only transaction refuses the
// rest too; this check stops what that transaction cannot (MariaDB's DDL commits implicitly,
// `SET` changes the session, `set_config` the timeout) and says why in words.
import type { DatabaseEngine } from "./names.ts";

/** What a read may start with; anything else (DDL, DML, SET, COMMIT…) needs write mode. */
const READ_STARTS = new Set([
  "select",
  "with",
  "show",
  "explain",
  "describe",
  "desc",
  "values",
  "table",
]);
/** words a read may not hold anywhere (outside strings and comments) */
const READ_FORBIDDEN: Record<string, string> = {
  into: "SELECT … INTO writes (a table, a file or variables): use write mode",
  set_config: "set_config changes the session (its timeout, its read-only mode)",
};

interface Scan {
  /** the statement's words outside strings, quoted names and comments, lowercased */
  words: string[];
  /** statements separated by `;` (a trailing one allowed) */
  statements: number;
  /** a MariaDB executable comment (/*! … *\/ or /*M! … *\/) */
  executableComment: boolean;
}

const closing = (sql: string, from: number, quote: string) => {
  for (let at = from; at < sql.length; at++) {
    if (sql[at] === "\\" && quote !== "`") at++;
    else if (sql[at] === quote) {
      if (sql[at + 1] === quote) at++;
      else return at;
    }
  }
  return sql.length;
};

/** Splits the text into words, skipping strings, quoted names and comments. */
function scan(sql: string): Scan {
  const words: string[] = [];
  let statements = 0;
  let pending = false;
  let executableComment = false;
  let at = 0;
  while (at < sql.length) {
    const char = sql[at] ?? "";
    const next = sql[at + 1] ?? "";
    if (char === "-" && next === "-")
      at = sql.indexOf("\n", at) === -1 ? sql.length : sql.indexOf("\n", at);
    else if (char === "#") at = sql.indexOf("\n", at) === -1 ? sql.length : sql.indexOf("\n", at);
    else if (char === "/" && next === "*") {
      if (sql[at + 2] === "!" || sql.startsWith("M!", at + 2)) executableComment = true;
      const end = sql.indexOf("*/", at + 2);
      at = end === -1 ? sql.length : end + 2;
    } else if (char === "'" || char === '"' || char === "`") {
      pending = true;
      at = closing(sql, at + 1, char) + 1;
    } else if (char === "$" && /^\$[A-Za-z_]*\$/.test(sql.slice(at))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(at))?.[0] ?? "$$";
      const end = sql.indexOf(tag, at + tag.length);
      pending = true;
      at = end === -1 ? sql.length : end + tag.length;
    } else if (char === ";") {
      if (pending) statements++;
      pending = false;
      at++;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(at, at + 200))?.[0] ?? char;
      words.push(word.toLowerCase());
      pending = true;
      at += word.length;
    } else {
      if (!/\s/.test(char)) pending = true;
      at++;
    }
  }
  if (pending) statements++;
  return { words, statements, executableComment };
}

/** Why the console refuses `sql` in `mode`, or null when it may run. */
export function statementProblem(
  engine: DatabaseEngine,
  sql: string,
  mode: "read" | "write",
): string | null {
  const { words, statements, executableComment } = scan(sql);
  if (statements === 0) return "must hold a statement";
  if (statements > 1) return "must be one statement (the console runs one at a time)";
  if (engine === "mariadb" && executableComment)
    return "MariaDB executable comments (/*! … */) are not allowed in the console";
  if (mode === "write") return null;
  const first = words[0] ?? "";
  if (!READ_STARTS.has(first))
    return `${first.toUpperCase()} is not a read: read mode runs SELECT, WITH, SHOW, EXPLAIN, VALUES and TABLE (switch to write mode to change data)`;
  for (const word of words) {
    const why = READ_FORBIDDEN[word];
    if (why) return `read mode refuses this: ${why}`;
  }
  return null;
}
