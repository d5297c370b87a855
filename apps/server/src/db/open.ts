import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Settings } from "../config/schema.ts";
import { StartupError } from "../lib/errors.ts";
import { kyselySqlite, NodeSqliteDialect } from "./node-sqlite.ts";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** a description safe to log (no password) */
  where: string;
  /**
   * SQLite: `pragma data_version` of the panel's connection, which moves only with other
   * connections' commits (the CLI's), read synchronously (asked on every authenticated
   * request: access/actor-cache.ts)
   */
  dataVersion?: () => number;
  /** SQLite: the database file (the migrations' backup goes beside it) */
  file?: string;
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds and counts: safe as JS numbers.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Opens (creating if absent) the SQLite file; a file that is not a database, or one this
 * process cannot read or write, stops the start with a message naming the path.
 */
export function openSqlite(file: string): Db {
  let raw: DatabaseSync;
  try {
    raw = openSqliteFile(file);
  } catch (e) {
    throw new StartupError(
      `cannot open the SQLite database ${file}: ${(e as Error).message}. If the file is ` +
        "damaged, restore it (with its -wal file) from a backup; if it is not readable, give " +
        "it to the user running Steward (mode 0600); STEWARD_DATABASE_URL points elsewhere",
    );
  }
  const db = new Kysely<Database>({
    dialect: new NodeSqliteDialect({ database: kyselySqlite(raw) }),
  });
  // statistics stay current as tables grow (see below)
  const optimizing = setInterval(() => optimize(raw, 0), OPTIMIZE_EVERY_MS).unref();
  const close = async () => {
    clearInterval(optimizing);
    await db.destroy();
  };
  // prepared once; reads no table and does no I/O
  const version = raw.prepare("pragma data_version");
  const dataVersion = () => Number(version.get()?.data_version);
  return { db, dialect: "sqlite", where: `sqlite:${file}`, file, dataVersion, close };
}

const OPTIMIZE_EVERY_MS = 3_600_000;

/**
 * The planner's statistics (sqlite_stat1), as SQLite recommends for long-lived connections:
 * without them it cannot tell a selective index (a task's account, target) from a poor one
 * (its state) and a list walks the wrong one (docs/architecture.md, "Lists"). Sampled
 * (analysis_limit), so a run takes a fraction of a second on a table of millions of rows; a run
 * at open (flags 0x10002) also analyzes tables never analyzed before. The sample is 10,000
 * entries per index: with 1,000, SQLite read the first entries of the (kind, id) index as ~110
 * tasks per kind (thousands in fact) and walked every task of a kind to find one account's
 * few (an admin's tasks of a kind past a cursor: 168 ms a page; bench:api). 10,000 takes
 * ~0.3 s on 200,000 tasks, at open and when a table has grown tenfold.
 */
function optimize(raw: DatabaseSync, flags: number) {
  try {
    raw.exec("PRAGMA analysis_limit = 10000");
    raw.exec(flags ? `PRAGMA optimize = ${flags}` : "PRAGMA optimize");
  } catch {
    // busy with another process's write: the next run will do
  }
}

function openSqliteFile(file: string): DatabaseSync {
  // The database holds password hashes and sessions: only its owner may read it. SQLite
  // gives the -wal and -shm files the mode of the database file.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, "", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const raw = new DatabaseSync(file);
  try {
    // The busy timeout first: switching a new file to WAL waits for another process opening it.
    raw.exec("PRAGMA busy_timeout = 5000");
    raw.exec("PRAGMA journal_mode = WAL");
    raw.exec("PRAGMA synchronous = NORMAL");
    raw.exec("PRAGMA foreign_keys = ON");
    // reads the schema: a file that is not a database fails here, not at the first request
    raw.prepare("select count(*) from sqlite_master").get();
    optimize(raw, 0x10002);
    return raw;
  } catch (e) {
    raw.close();
    throw e;
  }
}

export function openPostgres(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server drops (restart, failover) must not crash the process:
  // the pool replaces it, and the next query reports a real failure if there is one.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    db,
    dialect: "postgres",
    where: `postgres://${u.hostname}:${u.port || 5432}${u.pathname}`,
    close: () => db.destroy(),
  };
}

type Where = Pick<Settings, "databaseUrl" | "dataDir">;

/** The PostgreSQL URL of the settings, or null when the database is SQLite. */
export const postgresUrlOf = (settings: Where): string | null =>
  settings.databaseUrl?.startsWith("postgres") ? settings.databaseUrl : null;

/** The SQLite file of the settings (when the database is not PostgreSQL). */
export const sqliteFileOf = (settings: Where): string =>
  resolve(
    settings.databaseUrl
      ? settings.databaseUrl.slice("sqlite:".length)
      : resolve(settings.dataDir, "steward.db"),
  );

export function openDatabase(settings: Where): Db {
  const url = postgresUrlOf(settings);
  return url ? openPostgres(url) : openSqlite(sqliteFileOf(settings));
}
