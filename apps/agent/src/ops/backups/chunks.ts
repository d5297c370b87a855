// The encrypted artifact: a header (magic, length, JSON with the chunk size, a salt and the
// recipients' stanzas), then AES-256-GCM chunks of `chunkSize` plaintext bytes, the last one
// shorter or equal. The nonce holds the chunk's index and a final-chunk flag, and every chunk's
// additional data is the header's SHA-256: reordered, dropped, appended or altered chunks, a
// truncated stream or an edited header all fail to open, loudly.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
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

function payloadKey(dataKey: Buffer, salt: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", dataKey, Buffer.from(salt, "base64"), "steward-backup/1 payload", 32),
  );
}

function nonce(index: number, final: boolean): Buffer {
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(BigInt(index), 3);
  out[11] = final ? 1 : 0;
  return out;
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
  const seal = (plain: Buffer, final: boolean) => {
    const cipher = createCipheriv("aes-256-gcm", key, nonce(index++, final));
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    construct(callback) {
      this.push(headerBytes);
      callback();
    },
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      queue.push(chunk);
      while (queue.length > chunkSize) this.push(seal(queue.take(chunkSize), false));
      callback();
    },
    flush(callback: TransformCallback) {
      this.push(seal(queue.take(queue.length), true));
      callback();
    },
  });
}

/** Decrypts what encryptStream wrote, with one recipient's private key (PKCS#8 DER, base64). */
export function decryptStream(privateKey: string): Transform {
  const queue = new ByteQueue();
  let opened: { key: Buffer; aad: Buffer; chunkSize: number } | null = null;
  let index = 0;
  const open = (sealed: Buffer, final: boolean) => {
    if (!opened) throw new TamperedError("the artifact ends inside its header");
    const decipher = createDecipheriv("aes-256-gcm", opened.key, nonce(index, final));
    decipher.setAAD(opened.aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
    try {
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG)),
        decipher.final(),
      ]);
      index++;
      return plain;
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
          this.push(open(queue.take(opened.chunkSize + TAG), false));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (queue.length < TAG)
          throw new TamperedError("the artifact is truncated: its final chunk is missing");
        this.push(open(queue.take(queue.length), true));
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}
