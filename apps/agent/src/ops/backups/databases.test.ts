// Database sources, restore and test restore against a hermetic MariaDB and PostgreSQL (each
// started once): dump → a local destination → restore into a renamed database with the row
// counts of dump time; dry runs, an existing target refused then replaced; a tampered chunk
// fails the restore and the test restore; the same over TCP with TLS checked against a CA
// and an admin password full of quotes; hostile names refused before any process starts.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpResult, opStreamLine } from "@steward/contracts/agent";
import {
  type ArtifactMetadata,
  type BackupSourceSpecInput,
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
import mysql from "mysql2/promise";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { startTestAgent } from "../../testing/agent.ts";
import { issueIdentity, makeCa } from "../../testing/pki.ts";
import { accessOf } from "../databases/apply.ts";
import { runOperation } from "../framework.ts";
import { backupRestore, backupVerify } from "./handlers.ts";
import { generateRecipient, openBackupSource, openDestination, runBackup } from "./index.ts";
import { countRowsIn, inspectDatabase } from "./restore-database.ts";

let mariadb: MariadbServer;
let postgres: PostgresServer;
let ca: string;
let dir: string;
let store: string;
let config: AgentConfig;
/** quotes, a backslash, a comment sign, a semicolon, spaces: the option file and env carry it */
const PASSWORD = `pa"ss'wo\\rd #1; -- x`;
const recipient = generateRecipient();

beforeAll(async () => {
  const authority = await makeCa("Backup test CA");
  ca = authority.ca;
  const tls = await issueIdentity(authority, "db.test", "server-and-client", [
    "127.0.0.1",
    "localhost",
  ]);
  const [m, p] = await Promise.all([
    startMariadb({ tls }),
    startPostgres({ tls, passwords: true }),
  ]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  mariadb = m;
  postgres = p;
  const sqlPassword = PASSWORD.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
  await mariadb.sql(
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
  dir = mkdtempSync(join(tmpdir(), "stw-dbbackup-"));
  store = join(dir, "store");
  config = parseConfig(dir, {
    nodeId: "n1",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
    databases: {
      mariadb: { socket: mariadb.socket, adminUser: "root" },
      postgres: {
        socketDir: postgres.socketDir,
        port: postgres.port,
        adminUser: "steward",
        loginHost: "127.0.0.1",
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.all([mariadb?.stop(), postgres?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function withPg<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({
    host: postgres.socketDir,
    port: postgres.port,
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

const destinationInput = () => ({ kind: "local" as const, nodeId: "n1", path: store });
const local: DatabaseTarget = { kind: "local" };
const external = (engine: DatabaseEngine, password = PASSWORD): DatabaseTarget => ({
  kind: "external",
  host: "127.0.0.1",
  port: engine === "mariadb" ? mariadb.port : postgres.port,
  adminUser: "admin",
  adminPassword: password,
  tls: { mode: "verify-full", ca },
});
const EXPECTED: Record<DatabaseEngine, Record<string, number>> = {
  mariadb: { audit: 37, items: 1000, orders: 37 },
  postgres: { "public.items": 1000, "sales.orders": 37 },
};
const asRecord = (counts: { table: string; rows: number }[] | undefined) =>
  Object.fromEntries((counts ?? []).map((c) => [c.table, c.rows]));

/** Dumps `database` through the whole pipeline into the local destination. */
async function backup(
  engine: DatabaseEngine,
  name: string,
  server: DatabaseTarget = local,
  database = "shop",
) {
  const source = await openBackupSource(
    backupSourceSpec.parse({ kind: "database", engine, server, database }),
    { nodeId: "n1", databases: config.databases },
  );
  return runBackup({
    source: source.stream,
    sourceInfo: source.info,
    name,
    compressionLevel: 3,
    recipients: [recipient.publicKey],
    destinations: [
      { id: "local", destination: openDestination(destinationSettings.parse(destinationInput())) },
    ],
  });
}

const operation = (handler: typeof backupRestore | typeof backupVerify, input: unknown) =>
  runOperation(handler, input, { config, requestId: "req-bk" });

const restore = (artifact: string, target: Record<string, unknown>, dryRun = false) =>
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

const verify = (engine: DatabaseEngine, artifact: string, server: DatabaseTarget = local) =>
  operation(backupVerify, {
    destination: destinationSettings.parse(destinationInput()),
    artifact,
    privateKey: recipient.privateKey,
    engine,
    server,
  });

const output = <T>(result: OpResult) => {
  expect(result.error).toBeUndefined();
  expect(result.status).toBe("ok");
  return result.output as T;
};

/** A copy of an artifact with one byte flipped in the middle, sidecar and all. */
function tamper(artifact: string, copy: string) {
  const bytes = readFileSync(join(store, artifact));
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(join(store, copy), bytes);
  const sidecar = JSON.parse(readFileSync(join(store, artifact + SIDECAR_SUFFIX), "utf8"));
  writeFileSync(join(store, copy + SIDECAR_SUFFIX), JSON.stringify({ ...sidecar, artifact: copy }));
}

const throwaways = async (engine: DatabaseEngine) =>
  engine === "mariadb"
    ? (await mariadb.sql("SHOW DATABASES LIKE 'steward\\_%'")).trim()
    : (
        await withPg("postgres", (c) =>
          c.query("SELECT datname FROM pg_database WHERE datname LIKE 'steward\\_%'"),
        )
      ).rows.length;

describe.each(["mariadb", "postgres"] as const)("%s", (engine) => {
  const access = () => accessOf({ engine, server: local }, config.databases);
  const artifact = `${engine}-shop.dump`;

  it("dumps with the row counts of dump time and restores into a renamed database with equal counts", async () => {
    const result = await backup(engine, artifact);
    expect(result.error).toBeNull();
    expect(result.status).toBe("succeeded");
    const meta = result.metadata as ArtifactMetadata;
    expect(meta.source).toMatchObject({ kind: engine, description: "shop" });
    expect(meta.source.producer).toMatch(
      engine === "mariadb" ? /mariadb-dump.*MariaDB/ : /pg_dump \(PostgreSQL\) \d+/,
    );
    expect(asRecord(meta.source.rowCounts)).toEqual(EXPECTED[engine]);
    // the sidecar on the destination says the same
    const sidecar = JSON.parse(readFileSync(join(store, artifact + SIDECAR_SUFFIX), "utf8"));
    expect(asRecord(sidecar.source.rowCounts)).toEqual(EXPECTED[engine]);

    const out = output<{ existed: boolean; target: string }>(
      await restore(artifact, { kind: "database", engine, server: local, database: "shop_copy" }),
    );
    expect(out).toMatchObject({ existed: false, target: "shop_copy" });
    expect(asRecord(await countRowsIn(access(), "shop_copy"))).toEqual(EXPECTED[engine]);
    if (engine === "mariadb") {
      // routines, triggers and views came along: the trigger still writes the audit table
      await mariadb.sql("INSERT INTO shop_copy.orders VALUES (100, 1, 'x')");
      expect((await mariadb.sql("SELECT count(*) FROM shop_copy.audit")).trim()).toBe("38");
      expect((await mariadb.sql("SELECT count(*) FROM shop_copy.big_orders")).trim()).toBe("28");
      expect((await mariadb.sql("SELECT HEX(data) FROM shop_copy.items LIMIT 1")).trim()).toBe(
        "00FF27",
      );
    } else {
      const row = await withPg("shop_copy", (c) =>
        c.query("SELECT name, data FROM items WHERE id = 5"),
      );
      expect(row.rows[0].name).toBe(`it's "item" 5`);
      expect(Buffer.from(row.rows[0].data).toString("hex")).toBe("00ff27");
    }
  }, 120_000);

  it("dry run: lists the tables an existing target would lose; refuses it without replace, replaces it with", async () => {
    const target = { kind: "database", engine, server: local, database: "shop_copy" };
    const dry = output<{ existed: boolean; replaced: string[] }>(
      await restore(artifact, target, true),
    );
    expect(dry.existed).toBe(true);
    expect(dry.replaced).toEqual(Object.keys(EXPECTED[engine]));
    const newName = output<{ existed: boolean; replaced: string[] }>(
      await restore(artifact, { ...target, database: "shop_nowhere" }, true),
    );
    expect(newName).toMatchObject({ existed: false, replaced: [] });
    expect((await inspectDatabase(access(), "shop_nowhere")).exists).toBe(false);

    const refused = await restore(artifact, target);
    expect(refused.status).toBe("failed");
    expect(refused.error).toMatchObject({ code: "NAME_TAKEN" });
    expect(refused.error?.message).toContain("set replace");

    // the copy changes; replacing it brings back the dump's rows
    if (engine === "mariadb") await mariadb.sql("DELETE FROM shop_copy.items WHERE id > 10");
    else await withPg("shop_copy", (c) => c.query("DELETE FROM items WHERE id > 10"));
    output(await restore(artifact, { ...target, replace: true }));
    expect(asRecord(await countRowsIn(access(), "shop_copy"))).toEqual(EXPECTED[engine]);
    expect(await throwaways(engine)).toBeFalsy();
  }, 120_000);

  it("verify marks a good artifact verified; a tampered chunk fails the restore and the verify", async () => {
    const good = output<{ verified: boolean; tables: unknown[]; message: string }>(
      await verify(engine, artifact),
    );
    expect(good.verified).toBe(true);
    expect(good.tables).toEqual(
      Object.entries(EXPECTED[engine]).map(([name, rows]) => ({
        name,
        expected: rows,
        actual: rows,
      })),
    );

    const damaged = `${engine}-damaged.dump`;
    tamper(artifact, damaged);
    const failed = await restore(damaged, {
      kind: "database",
      engine,
      server: local,
      database: "shop_bad",
    });
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "BACKUP_DAMAGED" });
    expect((await inspectDatabase(access(), "shop_bad")).exists).toBe(false);

    const bad = output<{ verified: boolean; message: string }>(await verify(engine, damaged));
    expect(bad.verified).toBe(false);
    expect(bad.message).toMatch(/test restore failed: .*(chunk|SHA-256)/);
    // the throwaway databases are gone either way
    expect(await throwaways(engine)).toBeFalsy();
  }, 120_000);

  it("dumps from and restores to an external server over TCP with TLS verified against its CA", async () => {
    const name = `${engine}-external.dump`;
    const result = await backup(engine, name, external(engine));
    expect(result.error).toBeNull();
    expect(asRecord(result.metadata?.source.rowCounts)).toEqual(EXPECTED[engine]);
    output(
      await restore(name, {
        kind: "database",
        engine,
        server: external(engine),
        database: "shop_ext",
      }),
    );
    expect(asRecord(await countRowsIn(access(), "shop_ext"))).toEqual(EXPECTED[engine]);
    const checked = output<{ verified: boolean }>(await verify(engine, name, external(engine)));
    expect(checked.verified).toBe(true);
  }, 120_000);

  it("a refused login or a missing database fails with the server's words, never the password", async () => {
    const wrong = "Wr0ng'pass\"word";
    const badLogin = await backup(engine, `${engine}-x.dump`, external(engine, wrong)).then(
      (r) => r.error ?? "",
      (error: Error) => error.message,
    );
    expect(badLogin).toMatch(/Access denied|password authentication failed/);
    expect(badLogin).not.toContain(wrong);
    const missing = await backup(engine, `${engine}-y.dump`, local, "nosuchdb").then(
      (r) => r.error ?? "",
      (error: Error) => error.message,
    );
    expect(missing).toMatch(/Unknown database|does not exist/);
    expect(existsSync(join(store, `${engine}-y.dump`))).toBe(false);
  }, 60_000);
});

/** Inserts rows into live.items one by one (autocommit) until stopped; answers how many. */
function writer(engine: DatabaseEngine) {
  let stop = false;
  const done = (async () => {
    let n = 0;
    if (engine === "mariadb") {
      const c = await mysql.createConnection({
        socketPath: mariadb.socket,
        user: "root",
        database: "live",
      });
      while (!stop) n += (await c.query("INSERT INTO items (v) VALUES (1)")) ? 1 : 0;
      await c.end();
    } else
      await withPg("live", async (c) => {
        while (!stop) n += (await c.query("INSERT INTO items (v) VALUES (1)")) ? 1 : 0;
      });
    return n;
  })();
  return async () => {
    stop = true;
    return done;
  };
}

describe.each(["mariadb", "postgres"] as const)("%s under concurrent writes", (engine) => {
  it("records the row counts the dump holds (verified after a restore)", async () => {
    if (engine === "mariadb")
      await mariadb.sql(
        "CREATE DATABASE live; CREATE TABLE live.items (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
      );
    else {
      await withPg("postgres", (c) => c.query("CREATE DATABASE live"));
      await withPg("live", (c) => c.query("CREATE TABLE items (id serial PRIMARY KEY, v int)"));
    }
    const stop = writer(engine);
    await new Promise((r) => setTimeout(r, 300));
    const result = await backup(engine, `${engine}-live.dump`, local, "live");
    const written = await stop();
    expect(result.error).toBeNull();
    const [counted] = result.metadata?.source.rowCounts ?? [];
    // rows were written before, during and after the dump
    expect(counted?.rows).toBeGreaterThan(0);
    expect(written).toBeGreaterThan(counted?.rows ?? 0);
    const checked = output<{ verified: boolean; tables: unknown[] }>(
      await verify(engine, `${engine}-live.dump`),
    );
    expect(checked.tables).toEqual([
      {
        name: engine === "mariadb" ? "items" : "public.items",
        expected: counted?.rows,
        actual: counted?.rows,
      },
    ]);
    expect(checked.verified).toBe(true);
  }, 120_000);
});

describe("through the agent's HTTPS route", () => {
  it("verifies an artifact, and refuses a hostile target name before running, naming the field", async () => {
    const agent = await startTestAgent({ databases: config.databases });
    try {
      const call = async (name: string, input: unknown) => {
        const r = await agent.call(`/v1/ops/${name}`, { body: { version: 1, input } });
        const last = r.status === 200 ? opStreamLine.parse(r.lines().at(-1)) : null;
        return { status: r.status, body: r.status === 200 ? null : r.json(), last };
      };
      const verified = await call("backup.verify", {
        destination: destinationInput(),
        artifact: "postgres-shop.dump",
        privateKey: recipient.privateKey,
        engine: "postgres",
        server: local,
      });
      expect(verified.last?.type === "result" && verified.last.result.output).toMatchObject({
        verified: true,
      });
      const hostile = await call("backup.restore", {
        destination: destinationInput(),
        artifact: "postgres-shop.dump",
        target: { kind: "database", engine: "postgres", server: local, database: "shop; DROP" },
      });
      expect(hostile.status).toBe(400);
      expect(JSON.stringify(hostile.body)).toContain("target.database");
      expect(
        (
          await inspectDatabase(
            accessOf({ engine: "postgres", server: local }, config.databases),
            "shop",
          )
        ).exists,
      ).toBe(true);
    } finally {
      await agent.stop();
    }
  }, 60_000);
});

describe("hostile database names", () => {
  const HOSTILE = [
    "shop'x",
    'shop"x',
    "shop`x",
    "shop;drop",
    "shop--x",
    "shop\u0000x",
    "shop\nx",
    "../shop",
    "x".repeat(201),
    "select",
    "Shop",
    "",
  ];

  it("are refused before any process starts, naming the field", async () => {
    // a fake pg_dump and mariadb-dump that leave a mark if anything runs them
    const bin = join(dir, "bin");
    const mark = join(dir, "ran");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(bin, { recursive: true });
    for (const tool of ["pg_dump", "mariadb-dump"])
      writeFileSync(join(bin, tool), `#!/bin/sh\necho ran > ${mark}\n`, { mode: 0o755 });
    for (const engine of ["mariadb", "postgres"] as const)
      for (const database of HOSTILE) {
        const spec: BackupSourceSpecInput = { kind: "database", engine, server: local, database };
        const parsed = backupSourceSpec.safeParse(spec);
        if (!parsed.success) continue; // longer than the contract's own limit
        await expect(
          openBackupSource(parsed.data, {
            nodeId: "n1",
            databases: config.databases,
            toolPath: bin,
          }),
        ).rejects.toThrow(/^database /);
        const input = backupRestoreInput.safeParse({
          destination: destinationInput(),
          artifact: "a.dump",
          target: { kind: "database", engine, server: local, database },
        });
        expect(input.success).toBe(false);
        expect(input.error?.issues[0]?.path).toEqual(["target", "database"]);
      }
    expect(existsSync(mark)).toBe(false);
  });
});
