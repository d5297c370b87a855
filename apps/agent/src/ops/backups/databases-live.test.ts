// Database backups, continued (the same world, started once for this file): row counts that
// hold under concurrent writes, the operations through the agent's HTTPS route, and hostile
// database names refused before any process starts.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import {
  type BackupSourceSpecInput,
  backupRestoreInput,
  backupSourceSpec,
} from "@steward/contracts/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestAgent } from "../../testing/agent.ts";
import {
  backup,
  destinationInput,
  local,
  output,
  recipient,
  startWorld,
  stopWorld,
  verify,
  w,
  withPg,
} from "../../testing/backup-databases.ts";
import { accessOf } from "../databases/apply.ts";
import { openBackupSource } from "./index.ts";
import { inspectDatabase } from "./restore-database.ts";

beforeAll(startWorld, 120_000);
afterAll(stopWorld);

/** Inserts rows into live.items one by one (autocommit) until stopped; answers how many. */
function writer(engine: DatabaseEngine) {
  let stop = false;
  const done = (async () => {
    let n = 0;
    if (engine === "mariadb") {
      const c = await mysql.createConnection({
        socketPath: w.mariadb.socket,
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
      await w.mariadb.sql(
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
    expect((await backup("postgres", "postgres-shop.dump")).status).toBe("succeeded");
    const agent = await startTestAgent({ databases: w.config.databases });
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
            accessOf({ engine: "postgres", server: local }, w.config.databases),
            "shop",
          )
        ).exists,
      ).toBe(true);
    } finally {
      await agent.stop();
    }
  }, 60_000);
});

describe("a dump tool that cannot start", () => {
  it("fails the run saying so, and ends the snapshot's transaction", async () => {
    const empty = join(w.dir, "empty-bin");
    mkdirSync(empty, { recursive: true });
    const source = await openBackupSource(
      backupSourceSpec.parse({
        kind: "database",
        engine: "postgres",
        server: local,
        database: "shop",
      }),
      { nodeId: "n1", databases: w.config.databases, toolPath: empty },
    );
    const failure = await (async () => {
      for await (const _ of source.stream);
    })().then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toMatch(/^pg_dump: spawn pg_dump ENOENT/);
    const open = await withPg("postgres", (c) =>
      c.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = 'shop' AND state LIKE 'idle in transaction%'",
      ),
    );
    expect(open.rows).toEqual([]);
  });
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
    const bin = join(w.dir, "bin");
    const mark = join(w.dir, "ran");
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
            databases: w.config.databases,
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
