// One way to talk to a database server, whichever engine: a Session runs statements over one
// connection (mysql2 or pg), through a unix socket (a node's own server, as its admin) or
// TCP with a TLS mode (an external server, or a user logging in). Statements carry their
// values as parameters or through quote.ts; nothing here builds SQL.
import type { DatabaseEngine, DatabaseTls } from "@steward/contracts/databases";
import mysql from "mysql2/promise";
import pg from "pg";

/** Where a server is reached: its unix socket (PostgreSQL: the socket's directory) or TCP. */
export type Place =
  | {
      kind: "socket";
      path: string /** PostgreSQL: names the socket file (default 5432) */;
      port?: number;
    }
  | { kind: "tcp"; host: string; port: number; tls: DatabaseTls };

export interface Credentials {
  user: string;
  /** none: the socket's peer authentication (the node's admin) */
  password?: string;
  /** PostgreSQL: the database to connect to (default "postgres") */
  database?: string;
}

export interface Session {
  readonly engine: DatabaseEngine;
  /** rows as objects; `params` fill the engine's placeholders (? or $1) */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

function tlsOptions(tls: DatabaseTls, host: string) {
  if (tls.mode === "disable") return undefined;
  if (tls.mode === "require") return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, servername: host, ...(tls.ca ? { ca: tls.ca } : {}) };
}

/** mysql2's connection options for a place and a login. */
export function mariadbOptions(place: Place, who: Credentials) {
  const where =
    place.kind === "socket"
      ? { socketPath: place.path }
      : {
          host: place.host,
          port: place.port,
          ...(tlsOptions(place.tls, place.host) ? { ssl: tlsOptions(place.tls, place.host) } : {}),
        };
  return {
    ...where,
    user: who.user,
    ...(who.password !== undefined ? { password: who.password } : {}),
    ...(who.database ? { database: who.database } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
  };
}

async function openMariadb(place: Place, who: Credentials): Promise<Session> {
  const connection = await mysql.createConnection(mariadbOptions(place, who));
  return {
    engine: "mariadb",
    async query<T>(sql: string, params?: unknown[]) {
      const [rows] = await connection.query(sql, params);
      return (Array.isArray(rows) ? rows : []) as T[];
    },
    close: () => connection.end(),
  };
}

/** pg's client options for a place and a login. */
export function postgresOptions(place: Place, who: Credentials): pg.ClientConfig {
  const where =
    place.kind === "socket"
      ? { host: place.path, port: place.port ?? 5432 }
      : { host: place.host, port: place.port, ssl: tlsOptions(place.tls, place.host) ?? false };
  return {
    ...where,
    user: who.user,
    ...(who.password !== undefined ? { password: who.password } : {}),
    database: who.database ?? "postgres",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  };
}

/** A connected pg client; an error after connecting (the server going away) is caught. */
export async function connectPostgres(place: Place, who: Credentials) {
  const client = new pg.Client(postgresOptions(place, who));
  // an error after connecting (the server going away) must not crash the process
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

async function openPostgres(place: Place, who: Credentials): Promise<Session> {
  const client = await connectPostgres(place, who);
  return {
    engine: "postgres",
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    close: () => client.end(),
  };
}

export const openSession = (engine: DatabaseEngine, place: Place, who: Credentials) =>
  engine === "mariadb" ? openMariadb(place, who) : openPostgres(place, who);

/** Runs `fn` with a session, closing it whatever happens. */
export async function withSession<T>(
  engine: DatabaseEngine,
  place: Place,
  who: Credentials,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await openSession(engine, place, who);
  try {
    return await fn(session);
  } finally {
    await session.close().catch(() => {});
  }
}
