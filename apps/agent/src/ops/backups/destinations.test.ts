// Every kind of destination against its real server (SFTP: OpenSSH's sshd, chrooted): "test destination", a byte-identical
// round trip of a 50 MB stream with bounded memory, list and delete, an upload that is
// accepted and then fails on completion reported as a failure, and one whose server goes away
// between two parts.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type DestinationSettings, destinationSettings } from "@steward/contracts/backups";
import {
  type FtpServer,
  type S3Server,
  type SftpServer,
  startFtp,
  startS3rverProcess,
  startSftp,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveMemory, liveMemory } from "../../testing/memory.ts";
import { type Destination, openDestination, testDestination } from "./index.ts";

const SIZE = 50 * 1024 * 1024;
const BLOCK = 64 * 1024;
const SAMPLE_EVERY = 4 * 1024 * 1024;
/** what one transfer may hold at once: S3's two 5 MiB parts in flight and the one filling */
const MEMORY_BOUND = 32 * 1024 * 1024;

/** 50 MB of pseudo-random bytes made block by block as they are read, never held whole. */
function bigStream(seed: number, memory: LiveMemory): { stream: Readable; digest: () => string } {
  const hash = createHash("sha256");
  let made = 0;
  const block = randomBytes(BLOCK);
  const stream = new Readable({
    read() {
      if (made >= SIZE) return void this.push(null);
      block.writeUInt32BE(made ^ seed, 0);
      const piece = Buffer.from(block);
      made += piece.length;
      if (made % SAMPLE_EVERY === 0) memory.sample();
      hash.update(piece);
      this.push(piece);
    },
  });
  return { stream, digest: () => hash.digest("hex") };
}

async function hashOf(
  stream: Readable,
  memory: LiveMemory,
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(stream, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      if (Math.floor((bytes + chunk.length) / SAMPLE_EVERY) > Math.floor(bytes / SAMPLE_EVERY))
        memory.sample();
      bytes += chunk.length;
      hash.update(chunk);
    }
  });
  return { bytes, sha256: hash.digest("hex") };
}

let dir: string;
let s3: S3Server;
let ftp: FtpServer | null;
let sftp: SftpServer | null;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "stw-dest-"));
  // s3rver in its own process: the memory measured below is then the client's alone
  [s3, ftp] = await Promise.all([startS3rverProcess(), startFtp()]);
});
afterAll(async () => {
  await Promise.all([s3?.stop(), ftp?.stop(), sftp?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const kinds: Record<string, () => DestinationSettings | null> = {
  local: () =>
    destinationSettings.parse({ kind: "local", nodeId: "node1", path: join(dir, "local") }),
  s3: () =>
    destinationSettings.parse({
      kind: "s3",
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      prefix: "steward/backups",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    }),
  ftp: () =>
    ftp &&
    destinationSettings.parse({
      kind: "ftp",
      host: ftp.host,
      port: ftp.port,
      username: ftp.username,
      password: ftp.password,
      tls: "explicit",
      ca: ftp.ca,
      path: "backups/steward",
    }),
  sftp: () =>
    sftp &&
    destinationSettings.parse({
      kind: "sftp",
      host: sftp.host,
      port: sftp.port,
      username: sftp.username,
      password: sftp.password,
      hostKey: sftp.hostKey,
      path: "backups/steward",
    }),
};

describe.each(Object.keys(kinds))("the %s destination", (kind) => {
  let destination: Destination;
  beforeAll(async () => {
    // sshd only from its kind on, so the other kinds' memory is measured without it
    if (kind === "sftp") sftp = await startSftp();
    const settings = kinds[kind]?.();
    if (settings) destination = openDestination(settings);
  });
  afterAll(() => destination?.close());

  it("passes its test: writes, reads back and deletes a probe object", async (t) => {
    if (!destination) return t.skip();
    expect(await testDestination(destination)).toEqual({ ok: true });
    expect(await destination.list()).toEqual([]);
  });

  it("round-trips 50 MB byte for byte without holding it in memory, lists and deletes it", async (t) => {
    if (!destination) return t.skip();
    const putMemory = liveMemory();
    const source = bigStream(kind.length, putMemory);
    const stored = await destination.put(source.stream, "big.tar.zst");
    expect(stored).toEqual({ bytes: SIZE });
    expect(putMemory.growth()).toBeLessThan(MEMORY_BOUND);
    expect(await destination.list("big")).toMatchObject([{ name: "big.tar.zst", bytes: SIZE }]);
    const getMemory = liveMemory();
    expect(await hashOf(await destination.get("big.tar.zst"), getMemory)).toEqual({
      bytes: SIZE,
      sha256: source.digest(),
    });
    expect(getMemory.growth()).toBeLessThan(MEMORY_BOUND);
    await destination.delete("big.tar.zst");
    expect(await destination.list()).toEqual([]);
  }, 150_000);
});

it("reports an S3 upload that is accepted and then fails on completion as failed (Coolify #7779)", async () => {
  const broken = openDestination(
    destinationSettings.parse({
      kind: "s3",
      endpoint: s3.brokenEndpoint,
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    }),
  );
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < 200; i++) yield randomBytes(BLOCK);
    })(),
  );
  await expect(broken.put(source, "accepted-then-failed")).rejects.toThrow(/internal error/i);
  expect(await testDestination(broken)).toEqual({ ok: true });
  const direct = openDestination(kinds.s3?.() as DestinationSettings);
  expect((await direct.list()).map((o) => o.name)).not.toContain("accepted-then-failed");
  await Promise.all([broken.close(), direct.close()]);
});

it("fails an S3 upload whose server goes away between two parts, and stops reading its stream", async () => {
  const gone = await startS3rverProcess();
  const destination = openDestination(
    destinationSettings.parse({
      kind: "s3",
      endpoint: gone.endpoint,
      bucket: gone.bucket,
      accessKeyId: gone.accessKeyId,
      secretAccessKey: gone.secretAccessKey,
    }),
  );
  const source = new PassThrough();
  const outcome = destination.put(source, "cut-short.tar.zst").then(
    () => null,
    (error: Error) => error,
  );
  // a full part and the start of the next: the first part goes out while the second fills
  source.write(randomBytes(6 * 1024 * 1024));
  const partStored = () =>
    readdirSync(gone.dir, { recursive: true }).some((p) => String(p).endsWith("/1"));
  while (!partStored()) await new Promise((resolve) => setTimeout(resolve, 20));
  await gone.stop();
  while (!source.destroyed) {
    source.write(randomBytes(BLOCK));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(await outcome).toBeInstanceOf(Error);
  await destination.close();
}, 60_000);
