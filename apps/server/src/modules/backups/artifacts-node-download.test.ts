// A download of an artifact in a node's directory through the panel, on a real enrolled agent:
// the agent streams the file (GET /v1/backup-artifacts/read), the panel passes it on as stored
// (the artifact's SHA-256) or decrypted with the panel's key (the plain tar, extracted to the
// backed-up files). The agent's route refuses a hostile directory or name with a 400 naming
// the query's field, and a symbolic link planted in the directory with a 404, reading nothing
// outside; another account's caller gets 404. A 48 MB file streams through with bounded memory.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { liveMemory } from "@steward/agent/memory";
import { type NginxServer, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download, runToArtifact } from "../../testing/backup-restore.ts";
import { enrollRealNode, type RealNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let nginx: NginxServer;
let dir: string;

beforeAll(async () => {
  const n = await startNginx({ listen: "127.0.0.11" });
  if (!n) throw new Error("nginx is needed");
  nginx = n;
  dir = mkdtempSync(join(tmpdir(), "stw-artifacts-node-dl-"));
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = "outside-the-directory-secret\n";

describe("downloading an artifact of a node's directory through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const open = async (query: Record<string, string>) =>
    (await s.svc.agents).stream(node.id, {
      path: `/v1/backup-artifacts/read?${new URLSearchParams(query)}`,
      sub: "backup-read",
    });
  /** the agent's route, called with the panel's credentials: the error's message, or the bytes */
  const read = async (query: Record<string, string>) => {
    try {
      const body = await open(query);
      const parts: Buffer[] = [];
      for await (const chunk of body) parts.push(chunk as Buffer);
      return Buffer.concat(parts).toString();
    } catch (error) {
      return `refused: ${(error as Error).message}`;
    }
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, { name: "dl-node", nginx });
  }, 120_000);
  afterAll(() => node?.close());

  it("streams it as stored and decrypted; hostile names and planted links read nothing", async () => {
    const site = join(dir, "site");
    mkdirSync(join(site, "odd dir"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<h1>shop</h1>\n");
    writeFileSync(join(site, "odd dir", "blob.bin"), Buffer.alloc(300_000, 7));
    writeFileSync(join(dir, "secret.txt"), SECRET);
    const disk = join(dir, "disk");
    const source = await api("POST", "/api/v1/backup-sources", {
      name: "site",
      accountId: w.a,
      source: { kind: "files", nodeId: node.id, path: site },
    });
    expect(source.status, JSON.stringify(source.body)).toBe(201);
    const dest = await api("POST", "/api/v1/backup-destinations", {
      name: "disk",
      accountId: w.a,
      settings: { kind: "local", nodeId: node.id, path: disk },
      saveAnyway: true,
    });
    expect(dest.status, JSON.stringify(dest.body)).toBe(201);
    const plan = await api("POST", "/api/v1/backup-plans", {
      name: "site nightly",
      accountId: w.a,
      sourceIds: [source.body.id],
      destinationIds: [dest.body.id],
      encryption: { mode: "panel" },
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const artifact = await runToArtifact(s, api, plan.body.id);
    const url = `${s.url}/api/v1/backup-artifacts/${artifact.id}/download`;

    // as stored: the file byte for byte, its SHA-256 the artifact's
    const asStored = await download(url, w.keys.accountAdmin);
    expect(asStored.status, asStored.bytes.toString()).toBe(200);
    expect(asStored.disposition).toBe(`attachment; filename="${artifact.name}"`);
    expect(asStored.bytes.equals(readFileSync(join(disk, artifact.name)))).toBe(true);
    const row = await api("GET", `/api/v1/backup-artifacts/${artifact.id}`);
    expect(asStored.sha256).toBe(row.body.sha256);

    // decrypted with the panel's key: the plain tar of the directory
    const plain = await download(`${url}?decrypt=true`, w.keys.accountAdmin);
    expect(plain.status, plain.bytes.toString()).toBe(200);
    const out = join(dir, "untarred");
    mkdirSync(out);
    const tar = spawnSync("tar", ["-x", "-C", out], { input: plain.bytes });
    expect(tar.status, tar.stderr.toString()).toBe(0);
    const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");
    for (const f of ["index.html", join("odd dir", "blob.bin")])
      expect(sha(join(out, f))).toBe(sha(join(site, f)));

    // another account's caller: the artifact looks missing
    const stranger = await download(url, w.keys.otherAdmin);
    expect(stranger.status).toBe(404);
    expect(stranger.bytes.toString()).not.toContain(artifact.name);

    // the agent's route: hostile directories and names are refused naming the field
    expect(await read({ path: disk, name: artifact.name })).toBe(
      readFileSync(join(disk, artifact.name)).toString(),
    );
    for (const [query, field] of [
      [{ path: disk, name: "../secret.txt" }, "query.name"],
      [{ path: disk, name: "x\u0000y" }, "query.name"],
      [{ path: disk, name: "a\nb" }, "query.name"],
      [{ path: disk, name: ".hidden" }, "query.name"],
      [{ path: disk, name: "x".repeat(201) }, "query.name"],
      [{ path: `${disk}/..`, name: "secret.txt" }, "query.path"],
      [{ path: "relative/dir", name: "secret.txt" }, "query.path"],
      [{ path: disk, name: "a", extra: "1" }, "query"],
    ] as const) {
      const answer = await read(query);
      expect(answer, JSON.stringify(query)).toMatch(/^refused: .*answered 400/);
      expect(answer).toContain(field);
      expect(answer).not.toContain(SECRET.trim());
    }
    // a symbolic link planted in the directory is not followed, nor a directory read
    symlinkSync(join(dir, "secret.txt"), join(disk, "planted"));
    mkdirSync(join(disk, "adir"));
    for (const name of ["planted", "adir", "missing"]) {
      const answer = await read({ path: disk, name });
      expect(answer, name).toMatch(/^refused: .*answered 404/);
      expect(answer).not.toContain(SECRET.trim());
    }
    // through the panel: the artifact's name made a link to a file outside is refused (409)
    renameSync(join(disk, artifact.name), join(disk, "moved"));
    symlinkSync(join(dir, "secret.txt"), join(disk, artifact.name));
    const linked = await download(url, w.keys.accountAdmin);
    expect(linked.status).toBe(409);
    expect(linked.bytes.toString()).not.toContain(SECRET.trim());
  }, 120_000);

  it("streams 48 MB from the node's directory with bounded memory", async () => {
    const disk = join(dir, "big-disk");
    mkdirSync(disk);
    const hash = createHash("sha256");
    const fd = openSync(join(disk, "big.tar.zst"), "wx", 0o600);
    for (let i = 0; i < 48; i++) {
      const piece = randomBytes(1024 * 1024);
      hash.update(piece);
      writeSync(fd, piece);
    }
    closeSync(fd);
    const memory = liveMemory();
    const seen = createHash("sha256");
    let bytes = 0;
    for await (const chunk of await open({ path: disk, name: "big.tar.zst" })) {
      if (Math.floor((bytes + chunk.length) / 4_194_304) > Math.floor(bytes / 4_194_304))
        memory.sample();
      bytes += chunk.length;
      seen.update(chunk as Buffer);
    }
    expect(bytes).toBe(48 * 1024 * 1024);
    expect(seen.digest("hex")).toBe(hash.digest("hex"));
    expect(memory.growth()).toBeLessThan(32 * 1024 * 1024);
  }, 120_000);
});
