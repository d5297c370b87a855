// The pipeline end to end against real destinations (a directory, s3rver, and s3rver behind a
// proxy that fails every multipart completion): one stream into all of them at once, bounded
// memory, sidecars, restore from a destination alone, partial when one fails, tampering caught.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  type ArtifactSource,
  destinationSettings,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import { type S3Server, startS3rver } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveMemory, liveMemory } from "../../testing/memory.ts";
import {
  type Destination,
  generateRecipient,
  openDestination,
  restoreArtifact,
  runBackup,
} from "./index.ts";

const BLOCK = 64 * 1024;
/**
 * the tee's 1 MiB per destination, S3's parts in flight (two of 5 MiB and the one filling), zstd's
 * and the cipher's buffers, and s3rver's receiving buffers: it runs in this process
 */
const MEMORY_BOUND = 48 * 1024 * 1024;
/** 64 KiB blocks in: 100 MiB, some 76 MiB stored (more than the bound) */
const BLOCKS = 1600;
const source: ArtifactSource = {
  kind: "files",
  nodeId: "node1",
  description: "/srv/test",
  producer: null,
};

/** `blocks` 64 KiB blocks, one in four zeros (compressible), the rest random, hashed as made. */
function generated(blocks: number, memory?: LiveMemory) {
  const hash = createHash("sha256");
  let made = 0;
  const stream = new Readable({
    read() {
      if (made === blocks) return void this.push(null);
      const piece = made % 4 === 3 ? Buffer.alloc(BLOCK) : randomBytes(BLOCK);
      made++;
      if (made % 64 === 0) memory?.sample();
      hash.update(piece);
      this.push(piece);
    },
  });
  return { stream, digest: () => hash.digest("hex") };
}

async function digestOf(destination: Destination, name: string, privateKey?: string) {
  const hash = createHash("sha256");
  let bytes = 0;
  await restoreArtifact({
    destination,
    name,
    privateKey,
    sink: async (plain) => {
      for await (const chunk of plain) {
        bytes += chunk.length;
        hash.update(chunk);
      }
    },
  });
  return { bytes, sha256: hash.digest("hex") };
}

let dir: string;
let s3: S3Server;
const recipient = generateRecipient();
const local = (name: string) =>
  openDestination(
    destinationSettings.parse({ kind: "local", nodeId: "node1", path: join(dir, name) }),
  );
const bucket = (endpoint: string) =>
  openDestination(
    destinationSettings.parse({
      kind: "s3",
      endpoint,
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    }),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stw-pipeline-"));
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a backup run", () => {
  it("streams into every destination at once with bounded memory and restores from each alone", async () => {
    const memory = liveMemory();
    // more stored than the bound, so the stream cannot be held whole
    const input = generated(BLOCKS, memory);
    const progress: number[] = [];
    const result = await runBackup({
      source: input.stream,
      sourceInfo: source,
      name: "site-1.tar.zst.enc",
      compressionLevel: 3,
      recipients: [recipient.publicKey],
      destinations: [
        { id: "disk", destination: local("disk") },
        { id: "bucket", destination: bucket(s3.endpoint) },
      ],
      onProgress: (p) => progress.push(p.sourceBytes),
    });
    expect(memory.growth()).toBeLessThan(MEMORY_BOUND);
    expect(result.status).toBe("succeeded");
    expect(result.destinations.map((d) => [d.id, d.error])).toEqual([
      ["disk", null],
      ["bucket", null],
    ]);
    const metadata = result.metadata;
    expect(metadata).toMatchObject({
      sourceBytes: BLOCKS * BLOCK,
      encryption: { recipients: [recipient.publicKey] },
    });
    expect(metadata?.bytes).toBeGreaterThan(MEMORY_BOUND);
    expect(metadata?.bytes).toBeLessThan(0.8 * BLOCKS * BLOCK);
    for (const d of result.destinations) expect(d.stored).toEqual({ bytes: metadata?.bytes });
    expect(progress.at(-1)).toBe(BLOCKS * BLOCK);
    expect(progress.length).toBeGreaterThan(2);
    const expected = { bytes: BLOCKS * BLOCK, sha256: input.digest() };
    // a destination alone is enough: fresh objects, the sidecar and the private key
    for (const destination of [local("disk"), bucket(s3.endpoint)]) {
      expect((await destination.list()).map((o) => o.name).sort()).toEqual([
        "site-1.tar.zst.enc",
        `site-1.tar.zst.enc${SIDECAR_SUFFIX}`,
      ]);
      expect(await digestOf(destination, "site-1.tar.zst.enc", recipient.privateKey)).toEqual(
        expected,
      );
    }
  }, 150_000);

  it("is partial, never succeeded, when one destination accepts the upload and fails on completion", async () => {
    const input = generated(320); // 20 MiB: a multipart upload
    const result = await runBackup({
      source: input.stream,
      sourceInfo: source,
      name: "site-2.tar.zst.enc",
      compressionLevel: 1,
      recipients: [recipient.publicKey],
      destinations: [
        { id: "disk", destination: local("disk2") },
        { id: "broken", destination: bucket(s3.brokenEndpoint) },
      ],
    });
    expect(result.status).toBe("partial");
    const [disk, broken] = result.destinations;
    expect(disk?.error).toBeNull();
    expect(broken?.error).toMatch(/internal error/i);
    expect(broken?.stored).toBeNull();
    expect(
      (await digestOf(local("disk2"), "site-2.tar.zst.enc", recipient.privateKey)).sha256,
    ).toBe(input.digest());
  });

  it("fails when every destination fails, and when the source fails", async () => {
    const allBroken = await runBackup({
      source: generated(160).stream,
      sourceInfo: source,
      name: "site-3",
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "broken", destination: bucket(s3.brokenEndpoint) }],
    });
    expect(allBroken.status).toBe("failed");
    const failing = new Readable({
      read() {
        this.destroy(new Error("tar exited with code 2"));
      },
    });
    const sourceFailed = await runBackup({
      source: failing,
      sourceInfo: source,
      name: "site-4",
      compressionLevel: 1,
      recipients: [],
      destinations: [{ id: "disk", destination: local("disk4") }],
    });
    expect(sourceFailed).toMatchObject({
      status: "failed",
      error: "tar exited with code 2",
      metadata: null,
    });
    expect(await local("disk4").list()).toEqual([]);
  });

  it("refuses to restore a tampered artifact, loudly", async () => {
    const input = generated(40);
    const result = await runBackup({
      source: input.stream,
      sourceInfo: source,
      name: "site-5.enc",
      compressionLevel: 1,
      recipients: [recipient.publicKey],
      destinations: [{ id: "disk", destination: local("disk5") }],
    });
    expect(result.status).toBe("succeeded");
    const file = join(dir, "disk5", "site-5.enc");
    const bytes = readFileSync(file);
    bytes[bytes.length - 5000] = (bytes[bytes.length - 5000] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    await expect(digestOf(local("disk5"), "site-5.enc", recipient.privateKey)).rejects.toThrow(
      /does not authenticate|SHA-256/,
    );
    await expect(digestOf(local("disk5"), "site-5.enc")).rejects.toThrow(/is encrypted/);
  });
});
