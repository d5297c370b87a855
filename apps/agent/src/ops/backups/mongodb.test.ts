// MongoDB sources. No MongoDB server or tools install here (docs/backups.md), so a fake
// `mongodump` on the tools' PATH stands in: it records its argv, its environment and the
// config file it was given, then writes a known stream (or fails as mongodump does). What is
// checked: the argv Steward builds, that the URI and its password reach only the 0600 config
// file (never argv, never a message), that the file is gone after, and the stream's bytes
// through the whole pipeline and back.
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  backupRestoreInput,
  backupSourceSpec,
  destinationSettings,
} from "@steward/contracts/backups";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXEC_PATH } from "../../system/exec.ts";
import { openBackupSource, openDestination, restoreArtifact, runBackup } from "./index.ts";
import { intoMongo, type MongoTarget, mongorestoreArgs } from "./restore-mongodb.ts";
import { mongodumpArgs } from "./source-mongodb.ts";

let dir: string;
let bin: string;
let record: string;
let restored: string;
const SECRET = "s3cr:et@pa/ss";
const URI = `mongodb://backup:${encodeURIComponent(SECRET)}@db.example.net:27017/?authSource=admin`;
/** 3 MiB the fake writes: a repeating pattern, hashed here */
const BYTES = Buffer.alloc(3 * 1024 * 1024, "mongo-archive-");
const DIGEST = createHash("sha256").update(BYTES).digest("hex");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stw-mongo-"));
  bin = join(dir, "bin");
  record = join(dir, "record.json");
  restored = join(dir, "restored.json");
  mkdirSync(bin);
  const fake = join(bin, "mongodump");
  writeFileSync(
    fake,
    `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
if (args[0] === "--version") { console.log("mongodump version: 100.9.4 (fake)"); process.exit(0); }
const config = args.find((a) => a.startsWith("--config="))?.slice(9);
const text = config ? fs.readFileSync(config, "utf8") : null;
const mode = config ? (fs.statSync(config).mode & 0o777).toString(8) : null;
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, env: process.env, text, mode, config }));
if (args.includes("--db=broken")) {
  process.stderr.write("2026-12-06T00:00:00.000+0000\\tFailed: can't create session: could not connect to server: " + text + "\\n");
  process.exit(1);
}
process.stdout.write(Buffer.alloc(${BYTES.length}, "mongo-archive-"));
`,
  );
  chmodSync(fake, 0o755);
  // mongorestore: records argv, environment, config and the SHA-256 of what came on stdin
  const restore = join(bin, "mongorestore");
  writeFileSync(
    restore,
    `#!${process.execPath}
const fs = require("node:fs");
const hash = require("node:crypto").createHash("sha256");
const args = process.argv.slice(2);
const config = args.find((a) => a.startsWith("--config="))?.slice(9);
const text = config ? fs.readFileSync(config, "utf8") : null;
const mode = config ? (fs.statSync(config).mode & 0o777).toString(8) : null;
let bytes = 0;
process.stdin.on("data", (c) => { bytes += c.length; hash.update(c); });
process.stdin.on("end", () => {
  fs.writeFileSync(${JSON.stringify(restored)}, JSON.stringify({ args, env: process.env, text, mode, config, bytes, sha256: hash.digest("hex") }));
  if (args.includes("--nsTo=broken.*")) {
    process.stderr.write("2026-12-06T00:00:00.000+0000\\tFailed: " + text.trim() + ": not authorized\\n");
    process.exit(1);
  }
});
`,
  );
  chmodSync(restore, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = () => ({ nodeId: "n1", toolPath: `${bin}:${EXEC_PATH}` });
const spec = (database: string | null) =>
  backupSourceSpec.parse({ kind: "mongodb", uri: URI, database });
const recorded = () => JSON.parse(readFileSync(record, "utf8"));

describe("mongodb sources (a fake mongodump: no MongoDB here)", () => {
  it("builds its argv with the URI in a config file, not argv", () => {
    expect(mongodumpArgs("/tmp/d/c.yaml", "shop")).toEqual([
      "--archive",
      "--config=/tmp/d/c.yaml",
      "--db=shop",
    ]);
    expect(mongodumpArgs("/tmp/d/c.yaml", null)).toEqual(["--archive", "--config=/tmp/d/c.yaml"]);
  });

  it("streams mongodump's archive through the pipeline and back, the password only in the 0600 config", async () => {
    const store = join(dir, "store");
    const destination = openDestination(
      destinationSettings.parse({ kind: "local", nodeId: "n1", path: store }),
    );
    const source = await openBackupSource(spec("shop"), context());
    const result = await runBackup({
      source: source.stream,
      sourceInfo: source.info,
      name: "mongo.archive",
      compressionLevel: 3,
      recipients: [],
      destinations: [{ id: "local", destination }],
    });
    expect(result.error).toBeNull();
    expect(result.metadata?.source).toMatchObject({
      kind: "mongodb",
      description: "shop",
      producer: "mongodump version: 100.9.4 (fake)",
    });
    expect(result.metadata?.sourceBytes).toBe(BYTES.length);
    const run = recorded();
    expect(run.args).toEqual(["--archive", `--config=${run.config}`, "--db=shop"]);
    expect(JSON.stringify(run.args)).not.toContain("backup:");
    expect(JSON.stringify(run.env)).not.toContain(encodeURIComponent(SECRET));
    expect(run.text).toBe(`uri: ${JSON.stringify(URI)}\n`);
    expect(run.mode).toBe("600");
    expect(existsSync(run.config)).toBe(false);
    const back = createHash("sha256");
    await restoreArtifact({
      destination,
      name: "mongo.archive",
      sink: async (plain) => {
        for await (const chunk of plain) back.update(chunk);
      },
    });
    expect(back.digest("hex")).toBe(DIGEST);
  });

  it("a failing mongodump fails the stream with its words, the password left out", async () => {
    const source = await openBackupSource(spec("broken"), context());
    const chunks: Buffer[] = [];
    const error = await (async () => {
      for await (const chunk of source.stream) chunks.push(chunk);
    })().then(
      () => null,
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^mongodump exited with code 1: .*Failed: can't create session/);
    expect(error).not.toContain(encodeURIComponent(SECRET));
    expect(existsSync(recorded().config)).toBe(false);
  });

  it("refuses a database name MongoDB would not take before anything runs", async () => {
    rmSync(record, { force: true });
    for (const name of ["a/b", "a.b", 'a"b', "a b", "a$b", "a\u0000b", "x".repeat(64)])
      await expect(openBackupSource(spec(name), context())).rejects.toThrow(/^database /);
    expect(existsSync(record)).toBe(false);
  });

  it("restores the archive with mongorestore from stdin: argv, the URI only in the 0600 config", async () => {
    const destination = openDestination(
      destinationSettings.parse({ kind: "local", nodeId: "n1", path: join(dir, "store") }),
    );
    const target = (o: Partial<MongoTarget>): MongoTarget => ({
      kind: "mongodb",
      uri: URI,
      from: "shop",
      database: null,
      drop: false,
      ...o,
    });
    const into = async (t: MongoTarget, dryRun = false) =>
      restoreArtifact({
        destination,
        name: "mongo.archive",
        sink: intoMongo(t, dryRun, { path: `${bin}:${EXEC_PATH}` }),
      });
    await into(target({ database: "shop_copy", drop: true }));
    const run = JSON.parse(readFileSync(restored, "utf8"));
    expect(run.args).toEqual([
      "--archive",
      `--config=${run.config}`,
      "--nsInclude=shop.*",
      "--nsFrom=shop.*",
      "--nsTo=shop_copy.*",
      "--drop",
    ]);
    expect(run.bytes).toBe(BYTES.length);
    expect(run.sha256).toBe(DIGEST);
    expect(run.text).toBe(`uri: ${JSON.stringify(URI)}\n`);
    expect(run.mode).toBe("600");
    expect(JSON.stringify([run.args, run.env])).not.toContain(encodeURIComponent(SECRET));
    expect(existsSync(run.config)).toBe(false);
    // as dumped, every database, and mongorestore's own dry run
    expect(mongorestoreArgs("/c.yaml", target({}), false)).toEqual([
      "--archive",
      "--config=/c.yaml",
      "--nsInclude=shop.*",
    ]);
    expect(mongorestoreArgs("/c.yaml", target({ from: null }), true)).toEqual([
      "--archive",
      "--config=/c.yaml",
      "--dryRun",
    ]);
    // a failing mongorestore fails the restore with its words, the password left out
    const failed = await into(target({ database: "broken" })).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(failed).toMatch(/^mongorestore exited with code 1: .*not authorized/);
    expect(failed).not.toContain(encodeURIComponent(SECRET));
  });

  it("refuses hostile targets in the contract, naming the field", () => {
    const input = (target: Record<string, unknown>) =>
      backupRestoreInput.safeParse({
        destination: { kind: "local", nodeId: "n1", path: "/srv/b" },
        artifact: "mongo.archive.zst",
        target: { kind: "mongodb", uri: URI, from: "shop", ...target },
      });
    for (const [target, field] of [
      [{ database: "a.b" }, "target.database"],
      [{ database: "a*" }, "target.database"],
      [{ database: "x".repeat(64) }, "target.database"],
      [{ database: "a\nb" }, "target.database"],
      [{ from: "$all" }, "target.from"],
      [{ from: null, database: "copy" }, "target.database"],
      [{ uri: "http://db.example.net" }, "target.uri"],
      [{ uri: "mongodb://h/\nx" }, "target.uri"],
    ] as const) {
      const parsed = input(target);
      expect(parsed.success, JSON.stringify(target)).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(field);
    }
  });
});
