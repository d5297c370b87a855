// backup.destination.list and .delete through a real agent, against every kind's real server
// (a node directory, s3rver, pure-ftpd, a chrooted OpenSSH): an artifact from a real
// backup.run listed with its sidecar, an object put by hand without one and one with a broken
// sidecar listed with the reason, pages in name order, the SHA-256 of named artifacts, delete
// of the artifact and its sidecar, another node's directory and hostile names refused.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { backupDestinationListOutput, opStreamLine } from "@steward/contracts/agent";
import { backupRunOutput, destinationSettings } from "@steward/contracts/backups";
import {
  type FtpServer,
  type S3Server,
  type SftpServer,
  startFtp,
  startS3rver,
  startSftp,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE_ID, startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { openDestination } from "./index.ts";

let dir: string;
let tree: string;
let s3: S3Server;
let ftp: FtpServer | null;
let sftp: SftpServer | null;
let agent: TestAgent;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stw-explorer-"));
  tree = join(dir, "site");
  mkdirSync(tree);
  writeFileSync(join(tree, "index.html"), "<h1>explored</h1>\n");
  [s3, ftp, sftp, agent] = await Promise.all([
    startS3rver(),
    startFtp(),
    startSftp(),
    startTestAgent(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([s3?.stop(), ftp?.stop(), sftp?.stop(), agent?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const kinds: Record<string, () => Record<string, unknown> | null> = {
  local: () => ({ kind: "local", nodeId: NODE_ID, path: join(dir, "disk") }),
  s3: () => ({
    kind: "s3",
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    prefix: "explorer",
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  }),
  ftp: () =>
    ftp && {
      kind: "ftp",
      host: ftp.host,
      port: ftp.port,
      username: ftp.username,
      password: ftp.password,
      tls: "none",
      path: "explorer",
    },
  sftp: () =>
    sftp && {
      kind: "sftp",
      host: sftp.host,
      port: sftp.port,
      username: sftp.username,
      password: sftp.password,
      hostKey: sftp.hostKey,
      path: "explorer",
    },
};

async function call(op: string, input: Record<string, unknown>) {
  const r = await agent.call(`/v1/ops/${op}`, { body: { version: 1, input } });
  if (r.status !== 200) return { status: r.status, text: r.text, result: null };
  const last = r
    .lines()
    .map((l) => opStreamLine.parse(l))
    .at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  return { status: r.status, text: r.text, result: last.result };
}

async function list(settings: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const { result, text } = await call("backup.destination.list", { settings, ...more });
  expect(result?.status, text).toBe("ok");
  return backupDestinationListOutput.parse(result?.output);
}

describe.each(Object.keys(kinds))("the explorer on a %s destination", (kind) => {
  let settings: Record<string, unknown>;
  let sha256 = "";
  beforeAll(async () => {
    const made = kinds[kind]?.();
    if (!made) return;
    settings = made;
    const { result } = await call("backup.run", {
      runId: `bkr_${kind}`,
      artifact: `site-${kind}.tar.zst`,
      source: { kind: "files", path: tree, excludes: [] },
      compressionLevel: 3,
      recipients: [],
      destinations: [{ id: "bkd_x", settings }],
      planId: "bkp_explorer",
    });
    const output = backupRunOutput.parse(result?.output);
    expect(output.status).toBe("succeeded");
    sha256 = output.metadata?.sha256 ?? "";
    // by hand: one object without a sidecar, one whose sidecar is not one
    const destination = openDestination(destinationSettings.parse(settings));
    try {
      await destination.put(Readable.from([Buffer.from("not a backup")]), "by-hand.bin");
      await destination.put(Readable.from([Buffer.from("x")]), "broken.tar.zst");
      await destination.put(Readable.from([Buffer.from("{not json")]), "broken.tar.zst.meta.json");
    } finally {
      await destination.close();
    }
  }, 60_000);

  it("lists the run's artifact with its sidecar, the others with the reason, page by page", async (t) => {
    if (!settings) return t.skip();
    const all = await list(settings);
    expect(all.next).toBeNull();
    expect(all.objects.map((o) => o.name)).toEqual([
      "broken.tar.zst",
      "by-hand.bin",
      `site-${kind}.tar.zst`,
    ]);
    const [broken, byHand, artifact] = all.objects;
    expect(artifact).toMatchObject({
      sidecarProblem: null,
      sha256: null,
      sidecar: { artifact: `site-${kind}.tar.zst`, planId: "bkp_explorer", sha256 },
    });
    expect(artifact?.bytes).toBe(artifact?.sidecar?.bytes);
    expect(Date.parse(artifact?.modifiedAt ?? "")).toBeGreaterThan(Date.now() - 300_000);
    expect(byHand).toMatchObject({ bytes: 12, sidecar: null, sidecarProblem: "no sidecar" });
    expect(broken?.sidecar).toBeNull();
    expect(broken?.sidecarProblem).toMatch(/^the sidecar is invalid: /);
    // pages of one, in name order, each page's `next` the cursor of the following
    const first = await list(settings, { limit: 1 });
    expect(first.objects.map((o) => o.name)).toEqual(["broken.tar.zst"]);
    const second = await list(settings, { limit: 1, after: first.next });
    expect(second.objects.map((o) => o.name)).toEqual(["by-hand.bin"]);
    const last = await list(settings, { limit: 1, after: second.next });
    expect(last).toMatchObject({ next: null, objects: [{ name: `site-${kind}.tar.zst` }] });
  });

  it("hashes named artifacts from their bytes, and deletes one with its sidecar", async (t) => {
    if (!settings) return t.skip();
    const named = await list(settings, {
      names: [`site-${kind}.tar.zst`, "gone.tar.zst"],
      hash: true,
    });
    expect(named.objects).toHaveLength(1);
    expect(named.objects[0]?.sha256).toBe(sha256);
    const { result } = await call("backup.destination.delete", {
      settings,
      names: [`site-${kind}.tar.zst`],
    });
    expect(result?.output).toEqual({ deleted: [`site-${kind}.tar.zst`] });
    const destination = openDestination(destinationSettings.parse(settings));
    try {
      const left = (await destination.list()).map((o) => o.name).sort();
      expect(left).toEqual(["broken.tar.zst", "broken.tar.zst.meta.json", "by-hand.bin"]);
    } finally {
      await destination.close();
    }
  });
});

describe("what the explorer refuses", () => {
  it("a directory of another node, before touching it", async () => {
    const other = { kind: "local", nodeId: "node_other", path: join(dir, "other") };
    const { result } = await call("backup.destination.list", { settings: other });
    expect(result).toMatchObject({ status: "failed", error: { code: "OP_INPUT_INVALID" } });
    const removed = await call("backup.destination.delete", { settings: other, names: ["a.tar"] });
    expect(removed.result).toMatchObject({ status: "failed", error: { code: "OP_INPUT_INVALID" } });
  });

  it.each([
    ["../x", "names"],
    ["a\u0000b", "names"],
    ["x".repeat(300), "names"],
    ["a/b", "names"],
  ])("the name %j, naming %s", async (name, field) => {
    const settings = { kind: "local", nodeId: NODE_ID, path: join(dir, "disk") };
    for (const op of ["backup.destination.list", "backup.destination.delete"]) {
      const answer = await call(op, { settings, names: [name] });
      expect(answer.status).toBe(400);
      expect(answer.text).toContain(field);
    }
    const cursor = await call("backup.destination.list", { settings, after: "../\n" });
    expect(cursor.status).toBe(400);
    expect(cursor.text).toContain("after");
  });
});
