// The one validator for database and user names (issue 14), per engine. A name is lowercase
// letters, digits and underscores starting with a letter: nothing a server would fold, quote
// or read as syntax. Names still reach SQL only through the engines' identifier quoting
// (apps/agent/src/ops/databases/quote.ts); this is the first wall, that the second.
import { z } from "zod";

export const databaseEngines = ["mariadb", "postgres"] as const;
export const databaseEngine = z.enum(databaseEngines, {
  error: "must be mariadb or postgres",
});
export type DatabaseEngine = z.infer<typeof databaseEngine>;

/** Longest names: MariaDB databases 64, users 80 (10.6+); PostgreSQL NAMEDATALEN - 1 = 63. */
export const NAME_LIMITS: Record<DatabaseEngine, { database: number; user: number }> = {
  mariadb: { database: 64, user: 80 },
  postgres: { database: 63, user: 63 },
};

/** Names the servers keep for themselves. */
const SYSTEM_NAMES: Record<DatabaseEngine, readonly string[]> = {
  mariadb: ["mysql", "information_schema", "performance_schema", "sys", "root", "mariadb_sys"],
  postgres: ["postgres", "template0", "template1", "public", "pg_database_owner"],
};

/** SQL words either engine reserves (a quoted identifier could be one; Steward's never are). */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  `all alter analyse analyze and any array as asc asymmetric authorization between binary both
  by call case cast check collate collation column constraint create cross current_catalog
  current_date current_role current_schema current_time current_timestamp current_user
  database databases default deferrable delete desc describe distinct do drop else end except
  exists explain false fetch for foreign freeze from full grant group having ilike in index
  initially inner insert intersect interval into is isnull join key keys kill lateral leading
  left like limit localtime localtimestamp lock natural not notnull null offset on only or
  order outer overlaps placing primary procedure references rename replace returning revoke
  right role rows schema select session_user set show similar some symmetric table tablesample
  then to trailing trigger true truncate union unique update usage user using values variadic
  verbose view when where window with`
    .split(/\s+/)
    .filter(Boolean),
);

const FORBIDDEN: [string[], string][] = [
  [["\u0000"], "must not contain NUL bytes"],
  [["'", '"'], "must not contain quotes"],
  [["`"], "must not contain backticks"],
  [[";"], "must not contain semicolons"],
  [["--"], 'must not contain "--"'],
];

/** Why `name` cannot be a database (`kind`) name on `engine`, or null when it can. */
export function databaseNameProblem(
  engine: DatabaseEngine,
  kind: "database" | "user",
  name: string,
): string | null {
  if (name.length === 0) return "must not be empty";
  const max = NAME_LIMITS[engine][kind];
  if (name.length > max) return `must be at most ${max} characters`;
  for (const [parts, message] of FORBIDDEN)
    if (parts.some((part) => name.includes(part))) return message;
  if (!/^[a-z][a-z0-9_]*$/.test(name))
    return "must be lowercase letters, digits and underscores, starting with a letter";
  if (RESERVED_WORDS.has(name)) return `is an SQL reserved word (${name})`;
  if (SYSTEM_NAMES[engine].includes(name) || name.startsWith("pg_"))
    return `is reserved by ${engine === "mariadb" ? "MariaDB" : "PostgreSQL"}`;
  return null;
}

/** A name as a zod check; the engine is known only beside it, so objects refine with this. */
export const nameShape = z.string().max(200, "must be at most 200 characters");

/** Adds an issue at `path` when `name` is not a valid `kind` name on `engine`. */
export function checkName(
  ctx: z.core.$RefinementCtx,
  engine: DatabaseEngine,
  kind: "database" | "user",
  name: string | undefined,
  path: PropertyKey[],
) {
  if (name === undefined) return;
  const problem = databaseNameProblem(engine, kind, name);
  if (problem) ctx.addIssue({ code: "custom", message: problem, path });
}
