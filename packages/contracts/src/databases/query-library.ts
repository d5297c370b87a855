// The SQL console's query library (issue 14): common admin tasks per engine, each a read-only
// statement whose parameters are validated here and bound by the driver ($1 / ?), never
// written into the text. Run through the console's endpoint with `template` and `params`.
// A few (`runs: "admin"`) are changes only the server's admin can make, which the console's
// session never is: Steward makes them through its database users (the executor's quoting),
// and their `sql` shows what runs.
import { z } from "zod";
import { type DatabaseEngine, databaseEngine, databaseNameProblem } from "./names.ts";

/**
 * A parameter: a row count, a name (a schema, a user) as the server knows it, or the name of
 * a new user (the engine's name validator: what Steward may create).
 */
export interface TemplateParam {
  name: string;
  kind: "count" | "name" | "new-user";
  description: string;
  default: number | string;
}

export interface QueryTemplate {
  id: string;
  engine: DatabaseEngine;
  title: string;
  description: string;
  /** the statement, with the engine's placeholders in the order of `params` */
  sql: string;
  params: TemplateParam[];
  /** console: the database's own user in the console's session; admin: Steward as the server's admin */
  runs: "console" | "admin";
}

const count = (description: string, fallback = 20): TemplateParam => ({
  name: "limit",
  kind: "count",
  description,
  default: fallback,
});
const name = (key: string, description: string, fallback: string): TemplateParam => ({
  name: key,
  kind: "name",
  description,
  default: fallback,
});

const template = (
  engine: DatabaseEngine,
  id: string,
  title: string,
  description: string,
  sql: string,
  params: TemplateParam[] = [],
): QueryTemplate => ({ id, engine, title, description, sql, params, runs: "console" });

/** A new user who may only read the console's database, its password generated. */
const readOnlyUser = (engine: DatabaseEngine, sql: string): QueryTemplate => ({
  id: "create-read-only-user",
  engine,
  title: "Create a read-only user",
  description:
    engine === "mariadb"
      ? "A new user (at localhost) with SELECT and SHOW VIEW on this database only; its password is generated and shown once. Steward creates it as the server's admin (write mode): it is then one of the server's users."
      : "A new login role with CONNECT on this database, USAGE on schema public and SELECT on its tables; its password is generated and shown once. Steward creates it as the server's admin (write mode): it is then one of the server's users.",
  sql,
  params: [{ name: "user", kind: "new-user", description: "the new user's name", default: "" }],
  runs: "admin",
});

const SLOW_PG = [
  "log_min_duration_statement",
  "statement_timeout",
  "log_statement",
  "track_io_timing",
];
const SLOW_MARIADB = [
  "slow_query_log",
  "long_query_time",
  "log_slow_verbosity",
  "max_statement_time",
];

export const QUERY_LIBRARY: QueryTemplate[] = [
  template(
    "postgres",
    "largest-tables",
    "Largest tables",
    "Tables by total size (data, indexes, TOAST).",
    "SELECT schemaname AS schema, relname AS table, pg_total_relation_size(relid) AS bytes FROM pg_catalog.pg_statio_user_tables ORDER BY bytes DESC, relname LIMIT $1",
    [count("how many tables")],
  ),
  template(
    "postgres",
    "table-sizes",
    "Table sizes",
    "Rows, data and index size of each table of a schema.",
    "SELECT relname AS table, n_live_tup AS rows, pg_table_size(relid) AS table_bytes, pg_indexes_size(relid) AS index_bytes FROM pg_catalog.pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname",
    [name("schema", "the schema", "public")],
  ),
  template(
    "postgres",
    "running-queries",
    "Running queries",
    "Other sessions on this database: their state and statement.",
    "SELECT pid, usename AS user, state, now() - query_start AS running_for, left(query, 200) AS query FROM pg_catalog.pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY query_start",
  ),
  template(
    "postgres",
    "locks",
    "Locks",
    "Locks held or awaited in this database, and on what.",
    "SELECT l.pid, l.locktype, l.mode, l.granted, c.relname AS relation FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_class c ON c.oid = l.relation WHERE l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) ORDER BY l.granted, l.pid",
  ),
  template(
    "postgres",
    "grants-of-user",
    "Grants of a user",
    "The table privileges a user holds.",
    "SELECT table_schema AS schema, table_name AS table, privilege_type AS privilege FROM information_schema.role_table_grants WHERE grantee = $1 ORDER BY 1, 2, 3",
    [name("user", "the user (role)", "")],
  ),
  template(
    "postgres",
    "slow-query-settings",
    "Slow query settings",
    "What is logged as slow, and the timeouts.",
    `SELECT name, setting, unit FROM pg_catalog.pg_settings WHERE name IN (${SLOW_PG.map((s) => `'${s}'`).join(", ")}) ORDER BY name`,
  ),
  template(
    "postgres",
    "index-usage",
    "Index usage",
    "Indexes by how often they were used (the least first: candidates to drop).",
    "SELECT relname AS table, indexrelname AS index, idx_scan AS scans, pg_relation_size(indexrelid) AS bytes FROM pg_catalog.pg_stat_user_indexes ORDER BY idx_scan, indexrelname LIMIT $1",
    [count("how many indexes")],
  ),
  template(
    "mariadb",
    "largest-tables",
    "Largest tables",
    "Tables by data and index size.",
    "SELECT table_name AS `table`, data_length + index_length AS bytes, table_rows AS `rows` FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY bytes DESC, table_name LIMIT ?",
    [count("how many tables")],
  ),
  template(
    "mariadb",
    "table-sizes",
    "Table sizes",
    "Rows, data and index size of each table.",
    "SELECT table_name AS `table`, table_rows AS `rows`, data_length AS table_bytes, index_length AS index_bytes FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
  ),
  template(
    "mariadb",
    "running-queries",
    "Running queries",
    "Sessions on this database (those the user may see): their state and statement.",
    "SELECT id, user, time AS seconds, state, LEFT(info, 200) AS query FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() ORDER BY time DESC",
  ),
  template(
    "mariadb",
    "locks",
    "Locks",
    "Tables in use or locked.",
    "SHOW OPEN TABLES WHERE In_use > 0",
  ),
  template(
    "mariadb",
    "grants-of-user",
    "Grants of a user",
    "The database privileges a user holds (as far as this user may see them).",
    "SELECT grantee, table_schema AS `database`, privilege_type AS privilege FROM information_schema.schema_privileges WHERE grantee LIKE CONCAT('''', ?, '''@%') ORDER BY 2, 3",
    [name("user", "the user", "")],
  ),
  template(
    "mariadb",
    "slow-query-settings",
    "Slow query settings",
    "What is logged as slow, and the statement timeout.",
    `SHOW VARIABLES WHERE Variable_name IN (${SLOW_MARIADB.map((s) => `'${s}'`).join(", ")})`,
  ),
  template(
    "mariadb",
    "index-usage",
    "Indexes",
    "The indexes of each table, their columns and cardinality.",
    "SELECT table_name AS `table`, index_name AS `index`, seq_in_index AS position, column_name AS `column`, cardinality FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index LIMIT ?",
    [count("how many index columns", 100)],
  ),
  readOnlyUser(
    "postgres",
    "CREATE ROLE $1 LOGIN PASSWORD '(generated)'; GRANT CONNECT ON DATABASE (this database) TO $1; GRANT USAGE ON SCHEMA public TO $1; GRANT SELECT ON ALL TABLES IN SCHEMA public TO $1",
  ),
  readOnlyUser(
    "mariadb",
    "CREATE USER ?@'localhost' IDENTIFIED BY '(generated)'; GRANT SELECT, SHOW VIEW ON (this database).* TO ?@'localhost'",
  ),
];

/** A parameter's validator: counts 1 to 1000, names as the engines spell them. */
const paramShape = (param: TemplateParam, engine: DatabaseEngine) => {
  if (param.kind === "count")
    return z
      .int("must be an integer")
      .min(1, "must be at least 1")
      .max(1000, "must be at most 1000");
  if (param.kind === "new-user")
    return z.string("must be a name").superRefine((name, ctx) => {
      const problem = databaseNameProblem(engine, "user", name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
  return z
    .string()
    .min(1, "must not be empty")
    .max(80, "must be at most 80 characters")
    .regex(/^[A-Za-z_][A-Za-z0-9_$]*$/, "must be a name: letters, digits, _ and $");
};

/** The validator of a template's parameters (an object by name, defaults filled). */
export const templateParams = (t: QueryTemplate) =>
  z.strictObject(
    Object.fromEntries(
      t.params.map((p) => [
        p.name,
        p.default === ""
          ? paramShape(p, t.engine)
          : (paramShape(p, t.engine) as z.ZodType).default(p.default),
      ]),
    ),
  );

export const findTemplate = (engine: DatabaseEngine, id: string) =>
  QUERY_LIBRARY.find((t) => t.engine === engine && t.id === id) ?? null;

export const queryTemplateId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,40}$/, "must be a template id of the query library");

export const queryLibraryQuery = z.strictObject({ engine: databaseEngine.optional() });

export const templateParam = z.object({
  name: z.string(),
  kind: z.enum(["count", "name", "new-user"]),
  description: z.string(),
  default: z.union([z.number(), z.string()]),
});
export const queryTemplate = z.object({
  id: z.string(),
  engine: databaseEngine,
  title: z.string(),
  description: z.string(),
  sql: z.string(),
  params: z.array(templateParam),
  /** console: run in the console's session; admin: a change Steward makes as the server's admin (write mode) */
  runs: z.enum(["console", "admin"]),
});
export const queryLibrary = z.object({ items: z.array(queryTemplate) });
