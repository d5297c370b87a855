// The console's statement on MariaDB: the session's max_statement_time, `START TRANSACTION
// READ ONLY` in read mode (rolled back after), the statement alone (no multipleStatements),
// its rows streamed by mysql2 (the connection paused while the sink waits; cut when the sink
// stops: the server rolls the transaction back). Dates stay the server's text.
import mysql from "mysql2";
import { diagnose } from "./diagnose.ts";
import { cell, cutOffError, type EngineStream, QueryError, type Ran } from "./query-types.ts";
import { mariadbOptions } from "./session.ts";

const GRACE_MS = 2000;
const NAMES = new Map(Object.entries(mysql.Types).map(([name, code]) => [code as number, name]));

interface Field {
  name: string;
  columnType?: number;
  type?: number;
}

export const streamMariadb: EngineStream = async (place, who, statement, sink) => {
  const connection = mysql.createConnection({
    ...mariadbOptions(place, who),
    dateStrings: true,
    rowsAsArray: true,
  });
  connection.on("error", () => {});
  const run = (sql: string, values: unknown[] = []) =>
    new Promise<void>((resolve, reject) =>
      connection.query(sql, values, (error) => (error ? reject(error) : resolve())),
    );
  try {
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    connection.destroy();
    throw new QueryError("connection", diagnose(error, place, who.user).message);
  }
  let cutOff = false;
  const deadline = setTimeout(() => {
    cutOff = true;
    connection.destroy();
  }, statement.timeoutMs + GRACE_MS);
  try {
    await run("SET SESSION max_statement_time = ?", [statement.timeoutMs / 1000]);
    if (statement.mode === "read") await run("START TRANSACTION READ ONLY");
    const ran = await new Promise<Ran>((resolve, reject) => {
      let delivered = 0;
      let changed = 0;
      let done = false;
      const finish = (value: Ran) => {
        done = true;
        resolve(value);
      };
      const query = connection.query({
        sql: statement.sql,
        values: statement.params,
        rowsAsArray: true,
      });
      // a statement without rows (an INSERT) has no fields
      query.on("fields", (fields: Field[] | undefined) => {
        if (fields)
          sink.columns(
            fields.map((f) => ({
              name: f.name,
              type: NAMES.get(f.columnType ?? f.type ?? -1) ?? "UNKNOWN",
            })),
          );
      });
      query.on("result", (row: unknown) => {
        if (done) return;
        if (!Array.isArray(row)) {
          changed = Number((row as { affectedRows?: number }).affectedRows ?? 0);
          return;
        }
        delivered++;
        const stop = () => {
          connection.destroy();
          finish({ rowCount: delivered, stopped: true });
        };
        let wanted: boolean | Promise<boolean>;
        try {
          wanted = sink.row(row.map(cell));
        } catch (error) {
          connection.destroy();
          reject(error);
          return;
        }
        if (wanted === false) stop();
        else if (wanted !== true) {
          connection.pause();
          wanted.then(
            (more) => (more ? connection.resume() : stop()),
            (error) => {
              connection.destroy();
              reject(error);
            },
          );
        }
      });
      query.on("error", (error) => (done ? undefined : reject(error)));
      query.on("end", () =>
        done
          ? undefined
          : finish({ rowCount: delivered > 0 ? delivered : changed, stopped: false }),
      );
    });
    if (!ran.stopped && statement.mode === "read") await run("ROLLBACK");
    return ran;
  } catch (error) {
    throw cutOff ? cutOffError(statement.timeoutMs) : error;
  } finally {
    clearTimeout(deadline);
    connection.destroy();
  }
};
