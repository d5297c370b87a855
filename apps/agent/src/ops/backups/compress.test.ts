// The pipeline's zstd stage: the zstd program in a process of its own where it is installed,
// node:zlib's zstd where it is not; both round-trip through a restore's decompression, and a
// zstd that fails fails the stream with its words.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createZstdDecompress } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXEC_PATH } from "../../system/exec.ts";
import { TamperedError } from "./chunks.ts";
import { findTool, zstdCompressor, zstdDecompressor } from "./compress.ts";

let dir: string;
let empty: string;
let failing: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stw-zstd-"));
  empty = join(dir, "empty");
  failing = join(dir, "failing");
  mkdirSync(empty);
  mkdirSync(failing);
  const fake = join(failing, "zstd");
  writeFileSync(fake, "#!/bin/sh\necho 'zstd: error 70 : Write error' >&2\nexit 70\n");
  chmodSync(fake, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 8 MiB, half of it compressible */
const input = Buffer.concat(
  Array.from({ length: 128 }, (_, i) => (i % 2 ? Buffer.alloc(65536, i) : randomBytes(65536))),
);

/** the input in small pieces, each taken at once by the stage (no waiting for a drain) */
const pieces = (size: number) =>
  Array.from({ length: Math.ceil(input.length / size) }, (_, i) =>
    input.subarray(i * size, (i + 1) * size),
  );

async function roundTrip(
  path: string,
  level = 3,
  chunks = [input.subarray(0, 1000), input.subarray(1000)],
) {
  const parts: Buffer[] = [];
  let stored = 0;
  await pipeline(
    Readable.from(chunks),
    zstdCompressor(level, path),
    async function* (compressed: AsyncIterable<Buffer>) {
      for await (const chunk of compressed) {
        stored += chunk.length;
        yield chunk;
      }
    },
    createZstdDecompress(),
    async (plain: AsyncIterable<Buffer>) => {
      for await (const chunk of plain) parts.push(chunk);
    },
  );
  return { plain: Buffer.concat(parts), stored };
}

describe("the zstd stage", () => {
  it("compresses with the zstd program when it is installed", async () => {
    if (!findTool("zstd") && process.env.STEWARD_REQUIRE_SYSTEM) throw new Error("zstd missing");
    expect(findTool("zstd", EXEC_PATH)).toMatch(/\/zstd$/);
    const { plain, stored } = await roundTrip(EXEC_PATH);
    expect(plain.equals(input)).toBe(true);
    expect(stored).toBeLessThan(input.length * 0.6);
  });

  it("hands a slow zstd every byte: the last writes still queued are not dropped", async () => {
    // level 19 reads slowly: the last small pieces wait in stdin's queue when the input ends
    const { plain } = await roundTrip(EXEC_PATH, 19, pieces(4096));
    expect(plain.length).toBe(input.length);
    expect(plain.equals(input)).toBe(true);
  });

  it("falls back to node:zlib's zstd without it, in the same format", async () => {
    expect(findTool("zstd", empty)).toBeNull();
    const { plain, stored } = await roundTrip(empty);
    expect(plain.equals(input)).toBe(true);
    expect(stored).toBeLessThan(input.length * 0.6);
  });

  it("fails the stream with zstd's words when zstd fails", async () => {
    await expect(roundTrip(failing)).rejects.toThrow(
      "zstd exited with code 70: zstd: error 70 : Write error",
    );
  });

  it("decompresses with the zstd program, and calls bytes that do not decompress damaged", async () => {
    const compressed: Buffer[] = [];
    await pipeline(Readable.from([input]), zstdCompressor(3), async (z: AsyncIterable<Buffer>) => {
      for await (const chunk of z) compressed.push(chunk);
    });
    const unpack = async (bytes: Buffer, path = EXEC_PATH) => {
      const parts: Buffer[] = [];
      await pipeline(
        Readable.from([bytes]),
        zstdDecompressor(path),
        async (p: AsyncIterable<Buffer>) => {
          for await (const chunk of p) parts.push(chunk);
        },
      );
      return Buffer.concat(parts);
    };
    const whole = Buffer.concat(compressed);
    expect((await unpack(whole)).equals(input)).toBe(true);
    expect((await unpack(whole, empty)).equals(input)).toBe(true);
    const cut = whole.subarray(0, whole.length - 100);
    await expect(unpack(cut)).rejects.toThrow(TamperedError);
    await expect(unpack(cut)).rejects.toThrow(/does not decompress: .*premature end/);
  });

  it("refuses a level outside 1 to 19", () => {
    expect(() => zstdCompressor(0)).toThrow("1 to 19");
    expect(() => zstdCompressor(20)).toThrow("1 to 19");
  });
});
