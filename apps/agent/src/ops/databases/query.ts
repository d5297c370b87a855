// The SQL console's statement on a server, as a database's own user: read mode inside a
// read-only transaction that is rolled back, write mode committed; a statement timeout on the
// server and a deadline on the client; rows streamed to a sink one at a time (never the
// whole result in memory), which may stop the stream or make it wait (an export's
// backpressure). The panel runs it for an external server, the agent for its node's own.
import {
  type DatabaseEngine,
  type QueryColumn,
  statementProblem,
} from "@steward/contracts/databases";
import { diagnose } from "./diagnose.ts";
import { streamMariadb } from "./query-mariadb.ts";
import { streamPostgres } from "./query-postgres.ts";
import {
  type ConsoleStatement,
  type EngineStream,
  QueryError,
  type Ran,
  type RowSink,
} from "./query-types.ts";
import type { Credentials, Place } from "./session.ts";

export * from "./query-types.ts";

/** The driver's error in words: the timeout, the server's refusal, or the connection. */
export function queryError(error: unknown, place: Place, who: Credentials, timeoutMs: number) {
  if (error instanceof QueryError) return error;
  const e = (error ?? {}) as { code?: string; errno?: number; message?: string };
  if (e.code === "57014" || e.errno === 1969 || e.errno === 3024)
    return new QueryError(
      "timeout",
      `the statement ran longer than ${timeoutMs / 1000} s and was stopped (the statement timeout)`,
    );
  if (
    (e.code && /^[0-9A-Z]{5}$/.test(e.code) && !e.code.startsWith("08")) ||
    (e.errno ?? 0) >= 1000
  )
    return new QueryError("sql", e.message ?? String(error));
  return new QueryError("connection", diagnose(error, place, who.user).message);
}

export const RUNNERS: Record<DatabaseEngine, EngineStream> = {
  mariadb: streamMariadb,
  postgres: streamPostgres,
};

/** Runs one console statement, its rows to `sink`, after the console's check of it. */
export async function streamStatement(
  engine: DatabaseEngine,
  place: Place,
  who: Credentials,
  statement: ConsoleStatement,
  sink: RowSink,
): Promise<Ran> {
  const problem = statementProblem(engine, statement.sql, statement.mode);
  if (problem) throw new QueryError("refused", problem);
  try {
    return await RUNNERS[engine](place, who, statement, sink);
  } catch (error) {
    throw queryError(error, place, who, statement.timeoutMs);
  }
}

export interface QueryPage {
  columns: QueryColumn[];
  rows: unknown[][];
  rowCount: number;
  /** more rows follow */
  truncated: boolean;
}

/**
 * One page: `skip` rows passed over, `limit` kept, one more read to know whether more follow;
 * with `maxBytes`, the page also ends before its rows' JSON would pass that size (at least
 * one row is kept).
 */
export async function queryPage(
  engine: DatabaseEngine,
  place: Place,
  who: Credentials,
  statement: ConsoleStatement,
  window: { skip: number; limit: number; maxBytes?: number },
): Promise<QueryPage> {
  const page: QueryPage = { columns: [], rows: [], rowCount: 0, truncated: false };
  let seen = 0;
  let bytes = 0;
  const ran = await streamStatement(engine, place, who, statement, {
    columns: (columns) => {
      page.columns = columns;
    },
    row: (cells) => {
      seen++;
      if (seen <= window.skip) return true;
      if (page.rows.length === window.limit) {
        page.truncated = true;
        return false;
      }
      if (window.maxBytes !== undefined) {
        bytes += JSON.stringify(cells).length;
        if (bytes > window.maxBytes && page.rows.length > 0) {
          page.truncated = true;
          return false;
        }
      }
      page.rows.push(cells);
      return true;
    },
  });
  page.rowCount = page.columns.length === 0 ? ran.rowCount : page.rows.length;
  return page;
}
