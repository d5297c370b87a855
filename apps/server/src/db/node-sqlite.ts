// Adapts node:sqlite's DatabaseSync to Kysely: the interface its SqliteDialect expects, with
// a bounded cache of prepared statements (batch statements left out), and a driver whose
// single connection is handed out in arrival order.
import type { DatabaseSync, SQLInputValue, SQLOutputValue, StatementSync } from "node:sqlite";
import {
  type DatabaseConnection,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from "kysely";

const toParam = (v: unknown): SQLInputValue => {
  if (v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v as SQLInputValue;
};

/**
 * A statement with more parameters than this is a batch (rows of an insert, a relation of
 * VALUES, a list of ids) whose text changes with the batch's size: it is not cached. Kept, a
 * few hundred of them held ~40 MB of SQLite's memory (~150 KB each at 150 rows) for
 * statements that never came again (the monitor scheduler's writes, every second).
 */
export const MAX_CACHED_PARAMETERS = 100;

/** The `?` placeholders of a statement (Kysely writes every value as one). */
function parameterCount(sql: string) {
  let n = 0;
  for (let i = 0; i < sql.length; i++) if (sql.charCodeAt(i) === 63) n++;
  return n;
}

/** A statement that changes the schema: the statements prepared before may read other columns. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\s/i;

type Row = Record<string, SQLOutputValue>;

/**
 * How a statement's rows become objects. node:sqlite makes each row an object without a
 * prototype, which V8 keeps in dictionary mode: every read of a column, every spread of the
 * row, is a hash lookup (an admin's page of sites spent 9% of the panel's CPU spreading its
 * 51 rows). Read as arrays, the rows are built here as plain objects, all of one statement's
 * sharing one shape, made by one object literal (makerOf): 0.12 ms for 51 rows of 27 columns
 * read and spread, 0.33 ms before (docs/architecture.md, "One SQLite connection").
 */
function rowsOf(stmt: StatementSync): {
  reader: boolean;
  toRow: (values: SQLOutputValue[]) => Row;
} {
  let names = stmt.columns().map((c) => c.name);
  // a column named __proto__ would set the object's prototype: left to node:sqlite's objects
  if (names.length === 0 || names.includes("__proto__"))
    return { reader: names.length > 0, toRow: (row) => row as unknown as Row };
  stmt.setReturnArrays(true);
  let make = makerOf(names);
  const toRow = (values: SQLOutputValue[]) => {
    // SQLite prepared the statement again after a schema change (another connection's)
    if (values.length !== names.length) {
      names = stmt.columns().map((c) => c.name);
      make = makerOf(names);
    }
    return make(values);
  };
  return { reader: true, toRow };
}

type MakeRow = (values: SQLOutputValue[]) => Row;
/** the row makers of the column lists seen lately (statements not cached share them too) */
const makers = new Map<string, MakeRow>();
const MAKERS_KEPT = 512;

/**
 * A function making a row of these columns from its values: an object literal, so that V8
 * makes each row with its final shape at once instead of growing it column by column (51 rows
 * of 27 columns: 2 µs against 54). The names are quoted as JSON strings (a JavaScript string
 * literal); `__proto__` never comes here (rowsOf). Two columns of one name: the last one's
 * value, as assigning them in turn gave.
 */
function makerOf(names: string[]): MakeRow {
  const key = names.join("\u0000");
  let make = makers.get(key);
  if (!make) {
    const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ");
    make = new Function("v", `return { ${fields} };`) as MakeRow;
    if (makers.size >= MAKERS_KEPT) {
      const oldest = makers.keys().next().value;
      if (oldest !== undefined) makers.delete(oldest);
    }
    makers.set(key, make);
  }
  return make;
}

export function kyselySqlite(db: DatabaseSync, cacheSize = 256): SqliteDatabase {
  // Kysely prepares every query it runs: the cache keeps the statement and whether it
  // returns rows (asking SQLite for its columns each time showed in CPU profiles)
  const cache = new Map<string, SqliteStatement>();
  const wrap = (sql: string): SqliteStatement => {
    const stmt = db.prepare(sql);
    const params = (p: ReadonlyArray<unknown>) => p.map(toParam);
    const { reader, toRow } = rowsOf(stmt);
    return {
      reader,
      all: (p) => (stmt.all(...params(p)) as unknown as SQLOutputValue[][]).map(toRow),
      run: (p) => stmt.run(...params(p)),
      *iterate(p) {
        for (const values of stmt.iterate(...params(p)))
          yield toRow(values as unknown as SQLOutputValue[]);
      },
    };
  };
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      // the statements kept may now read other columns than their rows' names say
      if (SCHEMA_CHANGE.test(sql)) {
        cache.clear();
        return wrap(sql);
      }
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = wrap(sql);
        // freed when the collector takes it, not held until 256 others came
        if (parameterCount(sql) > MAX_CACHED_PARAMETERS) return stmt;
        if (cache.size >= cacheSize) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/**
 * Kysely's SqliteDriver guards its one connection with a mutex that wakes every waiter on
 * each release (all of them but one go back to sleep): with hundreds of queries waiting
 * under load, each query cost hundreds of promise resumptions. This one keeps a queue and
 * hands the connection to the next in line, in arrival order. A transaction holds the
 * connection from begin to commit, as before, so no other query runs inside it.
 */
class FifoSqliteDriver extends SqliteDriver {
  #connection: DatabaseConnection | undefined;
  #busy = false;
  readonly #waiting: ((c: DatabaseConnection) => void)[] = [];

  override async init() {
    await super.init();
    // taken once from the base driver, never given back to it
    this.#connection = await super.acquireConnection();
  }

  override acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.#connection;
    if (!connection) return Promise.reject(new Error("the SQLite driver is not initialised"));
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve(connection);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  override async releaseConnection() {
    const next = this.#waiting.shift();
    if (next && this.#connection) next(this.#connection);
    else this.#busy = false;
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new FifoSqliteDriver(this.#config);
  }
}
