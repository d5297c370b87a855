// The encrypted artifact: a header (magic, length, JSON with the chunk size, a salt and the
// recipients' stanzas), then AES-256-GCM chunks of `chunkSize` plaintext bytes, the last one
// shorter or equal. The nonce holds the chunk's index and a final-chunk flag, and every chunk's
// additional data is the header's SHA-256: reordered, dropped, appended or altered chunks, a
// truncated stream or an edited header all fail to open, loudly.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { type Stanza, unwrapWith, wrapFor } from "./keys.ts";
import { ByteQueue } from "./queue.ts";

const MAGIC = Buffer.from("STWBAK1\n");
const TAG = 16;
const MAX_HEADER = 64 * 1024;
export const DEFAULT_CHUNK = 256 * 1024;

export interface EncryptionHeader {
  v: 1;
  chunkSize: number;
  salt: string;
  stanzas: Stanza[];
}

export class TamperedError extends Error {}

/** the chunks' AES key, as a KeyObject: a cipher per chunk made from raw bytes cost 12 µs, 2 from one */
function payloadKey(dataKey: Buffer, salt: string): KeyObject {
  return createSecretKey(
    Buffer.from(
      hkdfSync("sha256", dataKey, Buffer.from(salt, "base64"), "steward-backup/1 payload", 32),
    ),
  );
}

function nonce(index: number, final: boolean): Buffer {
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(BigInt(index), 3);
  out[11] = final ? 1 : 0;
  return out;
}

/** Removes the last TAG bytes from the pieces (in place) and answers them. */
function splitTag(pieces: Buffer[]): Buffer {
  const tail: Buffer[] = [];
  let need = TAG;
  while (need > 0) {
    const last = pieces.pop() as Buffer;
    if (last.length > need) {
      pieces.push(last.subarray(0, last.length - need));
      tail.unshift(last.subarray(last.length - need));
      need = 0;
    } else {
      tail.unshift(last);
      need -= last.length;
    }
  }
  return tail.length === 1 ? (tail[0] as Buffer) : Buffer.concat(tail, TAG);
}

function encodeHeader(header: EncryptionHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, length, json]);
}

/** Encrypts a stream for the recipients (raw X25519 public keys, base64). */
export function encryptStream(recipients: readonly string[], chunkSize = DEFAULT_CHUNK): Transform {
  if (recipients.length === 0) throw new Error("encryption needs at least one recipient");
  const dataKey = randomBytes(32);
  const header: EncryptionHeader = {
    v: 1,
    chunkSize,
    salt: randomBytes(16).toString("base64"),
    stanzas: recipients.map((r) => wrapFor(r, dataKey)),
  };
  const headerBytes = encodeHeader(header);
  const aad = createHash("sha256").update(headerBytes).digest();
  const key = payloadKey(dataKey, header.salt);
  const queue = new ByteQueue();
  let index = 0;
  // each piece is encrypted as it lies in the queue and pushed on its own: no copy, no concat
  const seal = (stream: Transform, plain: Buffer[], final: boolean) => {
    const cipher = createCipheriv("aes-256-gcm", key, nonce(index++, final));
    cipher.setAAD(aad);
    for (const piece of plain) stream.push(cipher.update(piece));
    cipher.final();
    stream.push(cipher.getAuthTag());
  };
  return new Transform({
    construct(callback) {
      this.push(headerBytes);
      callback();
    },
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      queue.push(chunk);
      while (queue.length > chunkSize) seal(this, queue.takeParts(chunkSize), false);
      callback();
    },
    flush(callback: TransformCallback) {
      seal(this, queue.takeParts(queue.length), true);
      callback();
    },
  });
}

/** Decrypts what encryptStream wrote, with one recipient's private key (PKCS#8 DER, base64). */
export function decryptStream(privateKey: string): Transform {
  const queue = new ByteQueue();
  let opened: { key: KeyObject; aad: Buffer; chunkSize: number } | null = null;
  let index = 0;
  // the pieces of one sealed chunk (its tag last); its plaintext is released only once the
  // chunk authenticated, piece by piece as it was decrypted (no concat)
  const open = (stream: Transform, sealed: Buffer[], final: boolean) => {
    if (!opened) throw new TamperedError("the artifact ends inside its header");
    const decipher = createDecipheriv("aes-256-gcm", opened.key, nonce(index, final));
    decipher.setAAD(opened.aad);
    const tag = splitTag(sealed);
    decipher.setAuthTag(tag);
    try {
      const plain = sealed.map((piece) => decipher.update(piece));
      decipher.final();
      index++;
      for (const piece of plain) stream.push(piece);
    } catch {
      throw new TamperedError(
        `chunk ${index} does not authenticate: the artifact was altered, reordered or truncated`,
      );
    }
  };
  const readHeader = () => {
    if (queue.length < MAGIC.length + 4) return;
    const start = queue.take(MAGIC.length + 4);
    if (!start.subarray(0, MAGIC.length).equals(MAGIC))
      throw new TamperedError("not a Steward encrypted backup (bad magic)");
    const size = start.readUInt32BE(MAGIC.length);
    if (size > MAX_HEADER) throw new TamperedError("the header is too large");
    if (queue.length < size) {
      queue.unshift(start);
      return;
    }
    const json = queue.take(size);
    const header = JSON.parse(json.toString("utf8")) as EncryptionHeader;
    const dataKey = unwrapWith(privateKey, header.stanzas);
    if (!dataKey) throw new Error("this private key is not among the artifact's recipients");
    const aad = createHash("sha256")
      .update(Buffer.concat([start, json]))
      .digest();
    opened = { key: payloadKey(dataKey, header.salt), aad, chunkSize: header.chunkSize };
  };
  return new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      try {
        queue.push(chunk);
        if (!opened) readHeader();
        while (opened && queue.length > opened.chunkSize + TAG)
          open(this, queue.takeParts(opened.chunkSize + TAG), false);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (queue.length < TAG)
          throw new TamperedError("the artifact is truncated: its final chunk is missing");
        open(this, queue.takeParts(queue.length), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
