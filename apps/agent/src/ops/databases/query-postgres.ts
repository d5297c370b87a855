// The console's statement on PostgreSQL: `BEGIN READ ONLY` (or `BEGIN` in write mode), the
// transaction's own statement_timeout, the statement through a portal (pg-cursor: the
// extended protocol, one statement only) read a batch at a time, then ROLLBACK (or COMMIT).
// Dates and intervals stay the server's text; other values as pg parses them.
import pg from "pg";
import Cursor from "pg-cursor";
import { diagnose } from "./diagnose.ts";
import { cell, cutOffError, type EngineStream, QueryError } from "./query-types.ts";
import { connectPostgres } from "./session.ts";

const BATCH = 200;
/** the client's deadline after the server's timeout: the connection is cut */
const GRACE_MS = 2000;

const NAMES = new Map(
  Object.entries(pg.types.builtins).map(([name, oid]) => [oid as number, name.toLowerCase()]),
);
const AS_TEXT = new Set(
  ["date", "timestamp", "timestamptz", "time", "timetz", "interval"].map(
    (name) => pg.types.builtins[name.toUpperCase() as keyof typeof pg.types.builtins],
  ),
);
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    AS_TEXT.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

interface Read {
  rows: unknown[][];
  fields: { name: string; dataTypeID: number }[];
  rowCount: number | null;
}

const read = (cursor: Cursor, rows: number) =>
  new Promise<Read>((resolve, reject) => {
    cursor.read(rows, (error, got, result) => {
      if (error) reject(error);
      else
        resolve({
          rows: got as unknown[][],
          fields: result.fields ?? [],
          rowCount: result.rowCount,
        });
    });
  });

export const streamPostgres: EngineStream = async (place, who, statement, sink) => {
  let client: pg.Client;
  try {
    client = await connectPostgres(place, who);
  } catch (error) {
    throw new QueryError("connection", diagnose(error, place, who.user).message);
  }
  let cutOff = false;
  const deadline = setTimeout(() => {
    cutOff = true;
    (
      client as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
  }, statement.timeoutMs + GRACE_MS);
  try {
    await client.query(statement.mode === "read" ? "BEGIN READ ONLY" : "BEGIN");
    await client.query("SELECT set_config('statement_timeout', $1, true)", [
      `${statement.timeoutMs}`,
    ]);
    const cursor = client.query(
      new Cursor(statement.sql, statement.params, { rowMode: "array", types }),
    );
    let delivered = 0;
    let stopped = false;
    let changed = 0;
    for (let first = true; ; first = false) {
      const batch = await read(cursor, BATCH);
      if (first)
        sink.columns(
          batch.fields.map((f) => ({
            name: f.name,
            type: NAMES.get(f.dataTypeID) ?? `oid ${f.dataTypeID}`,
          })),
        );
      for (const row of batch.rows) {
        delivered++;
        if (!(await sink.row(row.map(cell)))) {
          stopped = true;
          break;
        }
      }
      if (stopped || batch.rows.length < BATCH) {
        changed = batch.rowCount ?? 0;
        break;
      }
    }
    await cursor.close();
    await client.query(statement.mode === "read" ? "ROLLBACK" : "COMMIT");
    return { rowCount: delivered > 0 ? delivered : changed, stopped };
  } catch (error) {
    throw cutOff ? cutOffError(statement.timeoutMs) : error;
  } finally {
    clearTimeout(deadline);
    await client.end().catch(() => {});
  }
};
