// The chunked AES-256-GCM format: round trips for every size around the chunk boundaries, any
// recipient opens it, and every kind of tampering (a flipped bit, reordered, dropped or
// appended chunks, truncation, an edited header, the wrong key) fails loudly.
import { randomBytes } from "node:crypto";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { decryptStream, encryptStream, generateRecipient, TamperedError } from "./index.ts";

const CHUNK = 1024;
const SEALED = CHUNK + 16;

async function collect(stream: Readable, stage: Transform): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(stream, stage, async (source: AsyncIterable<Buffer>) => {
    for await (const part of source) parts.push(part);
  });
  return Buffer.concat(parts);
}

const alice = generateRecipient();
const bob = generateRecipient();

const encrypt = (plain: Buffer, recipients = [alice.publicKey]) =>
  collect(Readable.from([plain]), encryptStream(recipients, CHUNK));
const decrypt = (sealed: Buffer, key = alice.privateKey) =>
  collect(Readable.from(sealedPieces(sealed)), decryptStream(key));

/** Feeds the ciphertext in odd-sized pieces, as a network would. */
function* sealedPieces(sealed: Buffer) {
  for (let at = 0; at < sealed.length; at += 333) yield sealed.subarray(at, at + 333);
}

/** The header's length and the chunks after it. */
function split(sealed: Buffer): { header: Buffer; chunks: Buffer[] } {
  const headerLength = 12 + sealed.readUInt32BE(8);
  const chunks: Buffer[] = [];
  for (let at = headerLength; at < sealed.length; at += SEALED)
    chunks.push(sealed.subarray(at, at + SEALED));
  return { header: sealed.subarray(0, headerLength), chunks };
}

describe("chunked encryption", () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 500])(
    "round-trips %i bytes",
    async (size) => {
      const plain = randomBytes(size);
      const sealed = await encrypt(plain);
      expect(split(sealed).chunks).toHaveLength(Math.max(1, Math.ceil(size / CHUNK)));
      if (size >= 64) expect(sealed.includes(plain.subarray(0, 64))).toBe(false);
      expect(await decrypt(sealed)).toEqual(plain);
    },
  );

  it("opens for every recipient, not for anyone else", async () => {
    const plain = randomBytes(2 * CHUNK + 7);
    const sealed = await encrypt(plain, [alice.publicKey, bob.publicKey]);
    expect(await decrypt(sealed, alice.privateKey)).toEqual(plain);
    expect(await decrypt(sealed, bob.privateKey)).toEqual(plain);
    await expect(decrypt(sealed, generateRecipient().privateKey)).rejects.toThrow(
      "this private key is not among the artifact's recipients",
    );
  });

  describe("fails loudly when the artifact was", async () => {
    const plain = randomBytes(3 * CHUNK + 100);
    const sealed = await encrypt(plain);
    const { header, chunks } = split(sealed);
    const [c0, c1, c2, c3] = chunks as [Buffer, Buffer, Buffer, Buffer];
    const flipped = Buffer.from(c1);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    const editedHeader = Buffer.from(
      header.toString("latin1").replace('"v":1', '"v":1 '),
      "latin1",
    );
    editedHeader.writeUInt32BE(editedHeader.length - 12, 8);
    const cases: [string, Buffer, RegExp][] = [
      [
        "tampered (one bit of a chunk)",
        Buffer.concat([header, c0, flipped, c2, c3]),
        /chunk 1 does not authenticate/,
      ],
      ["reordered", Buffer.concat([header, c0, c2, c1, c3]), /chunk 1 does not authenticate/],
      [
        "missing a middle chunk",
        Buffer.concat([header, c0, c2, c3]),
        /chunk 1 does not authenticate/,
      ],
      [
        "truncated at a chunk boundary",
        Buffer.concat([header, c0, c1, c2]),
        /chunk 2 does not authenticate/,
      ],
      [
        "truncated inside a chunk",
        sealed.subarray(0, sealed.length - 50),
        /chunk 3 does not authenticate/,
      ],
      ["cut after the header", header, /truncated: its final chunk is missing/],
      ["cut inside the header", header.subarray(0, 20), /ends inside its header|truncated/],
      [
        "extended by a chunk",
        Buffer.concat([header, c0, c1, c2, c3, c1]),
        /chunk 3 does not authenticate/,
      ],
      [
        "given another header",
        Buffer.concat([editedHeader, c0, c1, c2, c3]),
        /chunk 0 does not authenticate/,
      ],
      [
        "not one of ours",
        Buffer.from("PK\u0003\u0004 this is a zip file, not a backup"),
        /bad magic/,
      ],
    ];
    it.each(cases)("%s", async (_what, altered, message) => {
      const failure = await decrypt(altered).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(TamperedError);
      expect((failure as Error).message).toMatch(message);
    });
  });
});
