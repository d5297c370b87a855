// Reading an artifact back from a destination alone: its sidecar says how it was made; the
// stored bytes are hashed as they pass and must match the sidecar's SHA-256, then decrypted
// (chunk by chunk, authenticated) and decompressed into the sink. Any mismatch fails loudly.
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type ArtifactMetadata,
  artifactMetadata,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import { decryptStream, TamperedError } from "./chunks.ts";
import { zstdDecompressor } from "./compress.ts";
import { type Destination, readSmall } from "./destination.ts";
import { restoreIntoTool, type ToolSink } from "./restore-tool.ts";

export async function readSidecar(
  destination: Pick<Destination, "get">,
  name: string,
): Promise<ArtifactMetadata> {
  const raw = await readSmall(await destination.get(`${name}${SIDECAR_SUFFIX}`));
  return artifactMetadata.parse(JSON.parse(raw.toString("utf8")));
}

/** A pass-through that fails at the end when the bytes' SHA-256 is not `expected`. */
function checkDigest(expected: string): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      const actual = hash.digest("hex");
      callback(
        actual === expected
          ? null
          : new TamperedError(`the artifact's SHA-256 is ${actual}, its sidecar says ${expected}`),
      );
    },
  });
}

export interface RestoreInput {
  /** only read from: a destination, or the panel's reader of a node's directory */
  destination: Pick<Destination, "get">;
  name: string;
  /** the recipient's private key (PKCS#8 DER, base64), for an encrypted artifact */
  privateKey?: string;
  /** what consumes the plain bytes (a writable: `(plain) => pipeline(plain, writable)`) */
  sink: Sink;
}

/** A consumer of the plain bytes; an import tool's says so (`tool`): zstd then writes into it. */
export type Sink = ((plain: AsyncIterable<Buffer>) => Promise<unknown>) & { tool?: ToolSink };

export async function restoreArtifact(input: RestoreInput): Promise<ArtifactMetadata> {
  const metadata = await readSidecar(input.destination, input.name);
  if (metadata.encryption && !input.privateKey)
    throw new Error(`${input.name} is encrypted: give the private key of one of its recipients`);
  const artifact = await input.destination.get(input.name);
  const digest = checkDigest(metadata.sha256);
  const decrypt = metadata.encryption && input.privateKey ? decryptStream(input.privateKey) : null;
  const stored = decrypt ? [digest, decrypt] : [digest];
  if (input.sink.tool && (await restoreIntoTool(artifact, stored, input.sink.tool)))
    return metadata;
  const decompress = zstdDecompressor();
  if (decrypt) await pipeline(artifact, digest, decrypt, decompress, input.sink);
  else await pipeline(artifact, digest, decompress, input.sink);
  return metadata;
}
