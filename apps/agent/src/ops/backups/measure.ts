// Byte counts and SHA-256 computed in the stream, as the bytes pass.
import { createHash } from "node:crypto";
import { Transform } from "node:stream";

export interface Measured {
  bytes: number;
  sha256: string;
}

/** A pass-through that counts and hashes; `result()` is final once the stream has ended. */
export function measure(): { stream: Transform; result: () => Measured } {
  const hash = createHash("sha256");
  let bytes = 0;
  let digest: string | null = null;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      digest = hash.digest("hex");
      callback();
    },
  });
  return {
    stream,
    result: () => {
      if (digest === null) throw new Error("the stream has not ended yet");
      return { bytes, sha256: digest };
    },
  };
}
