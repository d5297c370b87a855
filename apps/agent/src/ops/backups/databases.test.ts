// Database sources, restore and test restore against a hermetic MariaDB and PostgreSQL (the
// world of testing/backup-databases.ts, started once): dump → a local destination → restore
// into a renamed database with the row counts of dump time; dry runs, an existing target
// refused then replaced; a tampered chunk fails the restore and the test restore; the same
// over TCP with TLS checked against a CA and an admin password full of quotes; a refused
// login and a missing database fail with the server's words.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ArtifactMetadata,
  destinationSettings,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asRecord,
  backup,
  destinationInput,
  EXPECTED,
  external,
  local,
  output,
  recipient,
  restore,
  startWorld,
  stopWorld,
  tamper,
  throwaways,
  verify,
  w,
  withPg,
} from "../../testing/backup-databases.ts";
import { accessOf } from "../databases/apply.ts";
import { openDestination } from "./open.ts";
import { restoreArtifact } from "./restore.ts";
import { countRowsIn, inspectDatabase } from "./restore-database.ts";

beforeAll(startWorld, 120_000);
afterAll(stopWorld);

describe.each(["mariadb", "postgres"] as const)("%s", (engine) => {
  const access = () => accessOf({ engine, server: local }, w.config.databases);
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
    const sidecar = JSON.parse(readFileSync(join(w.store, artifact + SIDECAR_SUFFIX), "utf8"));
    expect(asRecord(sidecar.source.rowCounts)).toEqual(EXPECTED[engine]);
    // the dump was piped into the zstd program (the agent never read it): its plain size is
    // zstd's count, the size of what the artifact decompresses to
    let plain = 0;
    await restoreArtifact({
      destination: openDestination(destinationSettings.parse(destinationInput())),
      name: artifact,
      privateKey: recipient.privateKey,
      sink: async (bytes) => {
        for await (const chunk of bytes) plain += chunk.length;
      },
    });
    expect(plain).toBeGreaterThan(1000);
    expect(meta.sourceBytes).toBe(plain);

    const out = output<{ existed: boolean; target: string }>(
      await restore(artifact, { kind: "database", engine, server: local, database: "shop_copy" }),
    );
    expect(out).toMatchObject({ existed: false, target: "shop_copy" });
    expect(asRecord(await countRowsIn(access(), "shop_copy"))).toEqual(EXPECTED[engine]);
    if (engine === "mariadb") {
      // routines, triggers and views came along: the trigger still writes the audit table
      await w.mariadb.sql("INSERT INTO shop_copy.orders VALUES (100, 1, 'x')");
      expect((await w.mariadb.sql("SELECT count(*) FROM shop_copy.audit")).trim()).toBe("38");
      expect((await w.mariadb.sql("SELECT count(*) FROM shop_copy.big_orders")).trim()).toBe("28");
      expect((await w.mariadb.sql("SELECT HEX(data) FROM shop_copy.items LIMIT 1")).trim()).toBe(
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

  it("stages nothing on disk: the login reaches the dump and import tools in their environment and argv, never a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-tmpdir-"));
    const seen: string[] = [];
    const watcher = watch(dir, { recursive: true }, (_, name) => seen.push(String(name)));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = dir; // what os.tmpdir() answers the agent's code meanwhile
    try {
      const result = await backup(engine, `${engine}-nofiles.dump`);
      expect(result.status).toBe("succeeded");
      output(
        await restore(`${engine}-nofiles.dump`, {
          kind: "database",
          engine,
          server: local,
          database: "shop_nofiles",
        }),
      );
      expect(asRecord(await countRowsIn(access(), "shop_nofiles"))).toEqual(EXPECTED[engine]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      watcher.close();
    }
    expect(seen).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
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
    if (engine === "mariadb") await w.mariadb.sql("DELETE FROM shop_copy.items WHERE id > 10");
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
    expect(existsSync(join(w.store, `${engine}-y.dump`))).toBe(false);
  }, 60_000);
});
