// A database's tables and their rows, read over a session the caller holds (inside the
// snapshot or lock the dump shares, or in a restored copy): what a test restore compares.
// Names reach SQL only as parameters or through the engines' identifier quoting.

import type { RowCount } from "@steward/contracts/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";
import { ident } from "../databases/quote.ts";
import type { Session } from "../databases/session.ts";

/** The base tables of `database` (PostgreSQL: of the database the session is in, schema.table). */
export async function tablesOf(session: Session, database: string): Promise<string[]> {
  if (session.engine === "mariadb") {
    const rows = await session.query<{ name: string }>(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
      [database],
    );
    return rows.map((r) => r.name);
  }
  // leaf tables only: a partitioned table's rows are its partitions'
  const rows = await session.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

const quoted = (engine: DatabaseEngine, database: string, table: string) => {
  if (engine === "mariadb") return `${ident(engine, database)}.${ident(engine, table)}`;
  const dot = table.indexOf(".");
  return `${ident(engine, table.slice(0, dot))}.${ident(engine, table.slice(dot + 1))}`;
};

/** Every base table's exact row count (count(*), one table at a time). */
export async function countRows(session: Session, database: string): Promise<RowCount[]> {
  const counts: RowCount[] = [];
  for (const table of await tablesOf(session, database)) {
    const [row] = await session.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM ${quoted(session.engine, database, table)}`,
    );
    counts.push({ table, rows: Number(row?.n ?? 0) });
  }
  return counts;
}
