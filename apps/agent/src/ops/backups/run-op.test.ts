// backup.run through a real agent (mTLS, request tokens, the NDJSON stream): a directory read as
// a tar into a node directory, s3rver and pure-ftpd at once, encrypted for a recipient, progress
// in the log, each copy restored byte for byte; a destination that accepts and then fails the
// upload makes the run partial; a directory of another node is refused before anything is read.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import {
  backupRunOutput,
  destinationSettings,
  parseBackupProgress,
} from "@steward/contracts/backups";
import { type FtpServer, type S3Server, startFtp, startS3rver } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_ID, startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { filesSink, generateRecipient, openDestination, restoreArtifact } from "./index.ts";

let dir: string;
let tree: string;
let s3: S3Server;
let ftp: FtpServer | null;
let agent: TestAgent;
const recipient = generateRecipient();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stw-run-op-"));
  tree = join(dir, "site");
  mkdirSync(join(tree, "cache"), { recursive: true });
  writeFileSync(join(tree, "index.html"), "<h1>hello</h1>\n");
  writeFileSync(join(tree, "big.bin"), randomBytes(6 * 1024 * 1024));
  writeFileSync(join(tree, "cache", "skip.tmp"), "left out");
  [s3, ftp, agent] = await Promise.all([startS3rver(), startFtp(), startTestAgent()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), ftp?.stop(), agent?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const localDir = (name: string) => ({ kind: "local", nodeId: NODE_ID, path: join(dir, name) });
const bucket = (endpoint: string) => ({
  kind: "s3",
  endpoint,
  bucket: s3.bucket,
  prefix: "run-op",
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
});
const ftpSettings = () => ({
  kind: "ftp",
  host: ftp?.host ?? "127.0.0.1",
  port: ftp?.port ?? 21,
  username: ftp?.username ?? "none",
  password: ftp?.password ?? "none",
  tls: "none",
  path: "/run-op",
});

async function backupRun(input: Record<string, unknown>) {
  const r = await agent.call("/v1/ops/backup.run", { body: { version: 1, input } });
  expect(r.status, r.text).toBe(200);
  const lines = r.lines().map((l) => opStreamLine.parse(l));
  const last = lines.at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  const logs = lines.flatMap((l) => (l.type === "log" ? [l.message] : []));
  return { result: last.result, logs };
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function restoredTree(settings: Record<string, unknown>, name: string, into: string) {
  const destination = openDestination(destinationSettings.parse(settings));
  try {
    await restoreArtifact({
      destination,
      name,
      privateKey: recipient.privateKey,
      sink: filesSink(join(dir, into)),
    });
  } finally {
    await destination.close();
  }
  return {
    index: readFileSync(join(dir, into, "index.html"), "utf8"),
    big: sha(readFileSync(join(dir, into, "big.bin"))),
  };
}

describe("backup.run on a real agent", () => {
  it("streams a directory into a node directory, S3 and FTP at once, with progress", async () => {
    if (!ftp) throw new Error("pure-ftpd is needed (run as root with pure-ftpd installed)");
    const { result, logs } = await backupRun({
      runId: "bkr_01run",
      artifact: "site-1.tar.zst.enc",
      source: { kind: "files", path: tree, excludes: ["cache/**"] },
      compressionLevel: 3,
      recipients: [recipient.publicKey],
      destinations: [
        { id: "bkd_disk", settings: localDir("disk") },
        { id: "bkd_bucket", settings: bucket(s3.endpoint) },
        { id: "bkd_ftp", settings: ftpSettings() },
      ],
      planId: "bkp_01plan",
    });
    expect(result.status, JSON.stringify(result.error)).toBe("ok");
    const output = backupRunOutput.parse(result.output);
    expect(output.status).toBe("succeeded");
    expect(output.metadata).toMatchObject({
      artifact: "site-1.tar.zst.enc",
      planId: "bkp_01plan",
      source: { kind: "files", nodeId: NODE_ID, description: tree },
      compression: { algorithm: "zstd", level: 3 },
      encryption: { recipients: [recipient.publicKey] },
    });
    for (const d of output.destinations)
      expect(d).toMatchObject({
        error: null,
        bytes: output.metadata?.bytes,
        sha256: output.metadata?.sha256,
      });
    // the last progress line holds the whole: every byte read and each destination's share
    const progress = logs.map(parseBackupProgress).filter((p) => p !== null);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({
      sourceBytes: output.metadata?.sourceBytes,
      destinations: {
        bkd_disk: output.metadata?.bytes,
        bkd_bucket: output.metadata?.bytes,
        bkd_ftp: output.metadata?.bytes,
      },
    });
    expect(progress.at(-1)?.rate).toBeGreaterThan(0);
    const original = { index: "<h1>hello</h1>\n", big: sha(readFileSync(join(tree, "big.bin"))) };
    for (const [settings, into] of [
      [localDir("disk"), "from-disk"],
      [bucket(s3.endpoint), "from-s3"],
      [ftpSettings(), "from-ftp"],
    ] as const) {
      expect(await restoredTree(settings, "site-1.tar.zst.enc", into)).toEqual(original);
      expect(() => readFileSync(join(dir, into, "cache", "skip.tmp"))).toThrow();
    }
  });

  it("is partial when one destination accepts the upload and then fails it", async () => {
    const { result, logs } = await backupRun({
      runId: "bkr_02run",
      artifact: "site-2.tar.zst",
      source: { kind: "files", path: tree, excludes: [] },
      compressionLevel: 1,
      recipients: [],
      destinations: [
        { id: "bkd_disk", settings: localDir("disk") },
        { id: "bkd_broken", settings: bucket(s3.brokenEndpoint) },
      ],
    });
    const output = backupRunOutput.parse(result.output);
    expect(output.status).toBe("partial");
    expect(output.destinations.map((d) => [d.id, d.error === null])).toEqual([
      ["bkd_disk", true],
      ["bkd_broken", false],
    ]);
    expect(logs.some((l) => l.startsWith("destination bkd_broken: "))).toBe(true);
    expect(output.metadata?.encryption).toBeNull();
  });

  it("deletes what retention chose once the run succeeded, and only then", async () => {
    const disk = openDestination(destinationSettings.parse(localDir("prune")));
    const run = (runId: string, artifact: string, prune: string[], broken = false) =>
      backupRun({
        runId,
        artifact,
        source: { kind: "files", path: tree, excludes: ["big.bin"] },
        compressionLevel: 1,
        recipients: [],
        destinations: [
          { id: "bkd_prune", settings: localDir("prune") },
          ...(broken ? [{ id: "bkd_broken", settings: bucket(s3.brokenEndpoint) }] : []),
        ],
        prune: [{ destinationId: "bkd_prune", names: prune }],
      });
    await run("bkr_05run", "old.tar.zst", []);
    // a partial run deletes nothing (the broken bucket does not have the new artifact)
    writeFileSync(join(tree, "cache", "pad.bin"), randomBytes(6 * 1024 * 1024));
    const partial = backupRunOutput.parse(
      (await run("bkr_06run", "partial.tar.zst", ["old.tar.zst"], true)).result.output,
    );
    expect(partial).toMatchObject({ status: "partial", pruned: [] });
    rmSync(join(tree, "cache", "pad.bin"));
    expect((await disk.list()).map((o) => o.name)).toContain("old.tar.zst");
    const { result, logs } = await run("bkr_07run", "new.tar.zst", ["old.tar.zst"]);
    const output = backupRunOutput.parse(result.output);
    expect(output.pruned).toEqual([
      { destinationId: "bkd_prune", names: ["old.tar.zst"], error: null },
    ]);
    expect((await disk.list()).map((o) => o.name).sort()).toEqual([
      "new.tar.zst",
      "new.tar.zst.meta.json",
      "partial.tar.zst",
      "partial.tar.zst.meta.json",
    ]);
    expect(logs).toContain("retention deleted 1 artifact(s) from bkd_prune");
  });

  it("fails without the partial object when the source is missing", async () => {
    const { result } = await backupRun({
      runId: "bkr_03run",
      artifact: "missing.tar.zst",
      source: { kind: "files", path: join(dir, "nothing-here"), excludes: [] },
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "bkd_disk", settings: localDir("disk-missing") }],
    });
    const output = backupRunOutput.parse(result.output);
    expect(output.status).toBe("failed");
    expect(output.error).toMatch(/nothing-here/);
    const left = await openDestination(destinationSettings.parse(localDir("disk-missing"))).list();
    expect(left).toEqual([]);
  });

  it("refuses a directory of another node before reading anything", async () => {
    const { result } = await backupRun({
      runId: "bkr_04run",
      artifact: "other.tar.zst",
      source: { kind: "files", path: tree, excludes: [] },
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "bkd_other", settings: { ...localDir("other"), nodeId: "node_other" } }],
    });
    expect(result).toMatchObject({ status: "failed", error: { code: "OP_INPUT_INVALID" } });
    expect(() => readFileSync(join(dir, "other"))).toThrow();
  });
});
