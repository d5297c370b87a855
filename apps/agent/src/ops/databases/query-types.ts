// What the console's runners share (query.ts, query-postgres.ts, query-mariadb.ts): the
// statement, the sink its rows go to, what a run says, and its errors in words.
import type { QueryColumn, QueryMode } from "@steward/contracts/databases";
import type { Credentials, Place } from "./session.ts";

export interface ConsoleStatement {
  sql: string;
  /** values for the engine's placeholders (? or $1), bound by the driver */
  params: unknown[];
  mode: QueryMode;
  timeoutMs: number;
}

export interface RowSink {
  columns(columns: QueryColumn[]): void;
  /** false stops the stream; a promise makes it wait */
  row(cells: unknown[]): boolean | Promise<boolean>;
}

export interface Ran {
  /** rows delivered, or the rows a write changed when it returns none */
  rowCount: number;
  /** the sink stopped the stream */
  stopped: boolean;
}

/** A statement that did not run to its end, said for a person. */
export class QueryError extends Error {
  /** refused: the console's check refused the statement before it was sent */
  readonly kind: "refused" | "connection" | "timeout" | "sql";
  constructor(kind: QueryError["kind"], message: string) {
    super(message);
    this.kind = kind;
  }
}

/** The engines' runners: a statement to the sink, as the user, on a connection of its own. */
export type EngineStream = (
  place: Place,
  who: Credentials,
  statement: ConsoleStatement,
  sink: RowSink,
) => Promise<Ran>;

/** A cell as JSON can carry it: bytes as \x-hex, big integers and dates as text. */
export function cell(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `\\x${value.toString("hex")}`;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Array.isArray(value)) return value.map(cell);
  return value;
}

/** The client's deadline passed: the connection was cut. */
export const cutOffError = (timeoutMs: number) =>
  new QueryError(
    "timeout",
    `the statement ran longer than ${timeoutMs / 1000} s and was stopped (the connection was cut)`,
  );
