// The world of the database backup tests: a hermetic MariaDB and PostgreSQL with TLS from a
// throwaway CA (each test file starts them once), a database `shop` on each (1000 and 37
// rows: quotes, `;`, `--`, binary values; MariaDB with a view and a trigger), admins that log
// in over TCP with a password full of quotes, a local destination, and the operations run
// through the agent's framework.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpResult } from "@steward/contracts/agent";
import {
  backupRestoreInput,
  backupSourceSpec,
  destinationSettings,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import type { DatabaseEngine, DatabaseTarget } from "@steward/contracts/databases";
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import pg from "pg";
import { expect } from "vitest";
import { type AgentConfig, parseConfig } from "../config.ts";
import { backupRestore, backupVerify } from "../ops/backups/handlers.ts";
import {
  generateRecipient,
  openBackupSource,
  openDestination,
  runBackup,
} from "../ops/backups/index.ts";
import { runOperation } from "../ops/framework.ts";
import { issueIdentity, makeCa } from "./pki.ts";

export interface World {
  mariadb: MariadbServer;
  postgres: PostgresServer;
  ca: string;
  dir: string;
  store: string;
  config: AgentConfig;
}
/** the servers and the agent's configuration, set by startWorld() */
export const w = {} as World;
/** quotes, a backslash, a comment sign, a semicolon, spaces: the option file and env carry it */
export const PASSWORD = `pa"ss'wo\\rd #1; -- x`;
export const recipient = generateRecipient();

export async function startWorld() {
  const authority = await makeCa("Backup test CA");
  w.ca = authority.ca;
  const tls = await issueIdentity(authority, "db.test", "server-and-client", [
    "127.0.0.1",
    "localhost",
  ]);
  const [m, p] = await Promise.all([
    startMariadb({ tls }),
    startPostgres({ tls, passwords: true }),
  ]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  w.mariadb = m;
  w.postgres = p;
  const sqlPassword = PASSWORD.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
  await w.mariadb.sql(
    [
      `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${sqlPassword}'`,
      "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION",
      "CREATE DATABASE shop",
      "CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(100), data BLOB)",
      "CREATE TABLE shop.orders (id INT PRIMARY KEY, item INT, note TEXT)",
      "CREATE TABLE shop.audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50))",
      // as an application makes them: inside its database, names unqualified
      "USE shop",
      "CREATE VIEW big_orders AS SELECT * FROM orders WHERE id > 10",
      "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW INSERT INTO audit (what) VALUES ('order')",
      "INSERT INTO shop.items (name, data) SELECT CONCAT('it''s \"item\" ', seq), UNHEX('00FF27') FROM seq_1_to_1000",
      "INSERT INTO shop.orders (id, item, note) SELECT seq, seq, 'a; -- note' FROM seq_1_to_37",
    ].join(";\n"),
  );
  await withPg("postgres", async (c) => {
    await c.query(`CREATE ROLE admin LOGIN SUPERUSER PASSWORD ${pg.escapeLiteral(PASSWORD)}`);
    await c.query("CREATE DATABASE shop");
  });
  await withPg("shop", async (c) => {
    await c.query("CREATE TABLE items (id serial PRIMARY KEY, name text, data bytea)");
    await c.query("CREATE SCHEMA sales");
    await c.query("CREATE TABLE sales.orders (id int PRIMARY KEY, item int, note text)");
    await c.query(
      `INSERT INTO items (name, data) SELECT 'it''s "item" ' || g, '\\x00ff27' FROM generate_series(1, 1000) g`,
    );
    await c.query(
      "INSERT INTO sales.orders SELECT g, g, 'a; -- note' FROM generate_series(1, 37) g",
    );
  });
  w.dir = mkdtempSync(join(tmpdir(), "stw-dbbackup-"));
  w.store = join(w.dir, "store");
  w.config = parseConfig(w.dir, {
    nodeId: "n1",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
    databases: {
      mariadb: { socket: w.mariadb.socket, adminUser: "root" },
      postgres: {
        socketDir: w.postgres.socketDir,
        port: w.postgres.port,
        adminUser: "steward",
        loginHost: "127.0.0.1",
      },
    },
  });
}

export async function stopWorld() {
  await Promise.all([w.mariadb?.stop(), w.postgres?.stop()]);
  if (w.dir) rmSync(w.dir, { recursive: true, force: true });
}

export async function withPg<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({
    host: w.postgres.socketDir,
    port: w.postgres.port,
    user: "steward",
    database,
  });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const destinationInput = () => ({ kind: "local" as const, nodeId: "n1", path: w.store });
export const local: DatabaseTarget = { kind: "local" };
export const external = (engine: DatabaseEngine, password = PASSWORD): DatabaseTarget => ({
  kind: "external",
  host: "127.0.0.1",
  port: engine === "mariadb" ? w.mariadb.port : w.postgres.port,
  adminUser: "admin",
  adminPassword: password,
  tls: { mode: "verify-full", ca: w.ca },
});
export const EXPECTED: Record<DatabaseEngine, Record<string, number>> = {
  mariadb: { audit: 37, items: 1000, orders: 37 },
  postgres: { "public.items": 1000, "sales.orders": 37 },
};
export const asRecord = (counts: { table: string; rows: number }[] | undefined) =>
  Object.fromEntries((counts ?? []).map((c) => [c.table, c.rows]));

/** Dumps `database` through the whole pipeline into the local destination. */
export async function backup(
  engine: DatabaseEngine,
  name: string,
  server: DatabaseTarget = local,
  database = "shop",
) {
  const source = await openBackupSource(
    backupSourceSpec.parse({ kind: "database", engine, server, database }),
    { nodeId: "n1", databases: w.config.databases, compressionLevel: 3 },
  );
  return runBackup({
    source: source.stream,
    sourceInfo: source.info,
    compressed: source.compressed,
    name,
    compressionLevel: 3,
    recipients: [recipient.publicKey],
    destinations: [
      { id: "local", destination: openDestination(destinationSettings.parse(destinationInput())) },
    ],
  });
}

export const operation = (handler: typeof backupRestore | typeof backupVerify, input: unknown) =>
  runOperation(handler, input, { config: w.config, requestId: "req-bk" });

export const restore = (artifact: string, target: Record<string, unknown>, dryRun = false) =>
  operation(
    backupRestore,
    backupRestoreInput.parse({
      destination: destinationInput(),
      artifact,
      privateKey: recipient.privateKey,
      target,
      dryRun,
    }),
  );

export const verify = (engine: DatabaseEngine, artifact: string, server: DatabaseTarget = local) =>
  operation(backupVerify, {
    destination: destinationSettings.parse(destinationInput()),
    artifact,
    privateKey: recipient.privateKey,
    engine,
    server,
  });

export const output = <T>(result: OpResult) => {
  expect(result.error).toBeUndefined();
  expect(result.status).toBe("ok");
  return result.output as T;
};

/** A copy of an artifact with one byte flipped in the middle, sidecar and all. */
export function tamper(artifact: string, copy: string) {
  const bytes = readFileSync(join(w.store, artifact));
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(join(w.store, copy), bytes);
  const sidecar = JSON.parse(readFileSync(join(w.store, artifact + SIDECAR_SUFFIX), "utf8"));
  writeFileSync(
    join(w.store, copy + SIDECAR_SUFFIX),
    JSON.stringify({ ...sidecar, artifact: copy }),
  );
}

export const throwaways = async (engine: DatabaseEngine) =>
  engine === "mariadb"
    ? (await w.mariadb.sql("SHOW DATABASES LIKE 'steward\\_%'")).trim()
    : (
        await withPg("postgres", (c) =>
          c.query("SELECT datname FROM pg_database WHERE datname LIKE 'steward\\_%'"),
        )
      ).rows.length;
