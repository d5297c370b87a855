// One backup as one stream: source → zstd → encryption → a tee into every destination at once,
// with byte counts and SHA-256 computed in the stream, no temporary file and bounded memory.
// A destination that fails does not stop the others: the run is then partial, never
// succeeded. Each destination that took the artifact then gets its sidecar (`.meta.json`).

import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type ArtifactMetadata,
  type ArtifactSource,
  artifactMetadata,
  SIDECAR_SUFFIX,
} from "@steward/contracts/backups";
import { DEFAULT_CHUNK, encryptStream } from "./chunks.ts";
import { zstdCompressor } from "./compress.ts";
import type { Destination } from "./destination.ts";
import { type BranchOutcome, fanOut } from "./fanout.ts";
import { measure } from "./measure.ts";

export interface RunDestination {
  id: string;
  destination: Destination;
}

export interface BackupInput {
  source: Readable;
  sourceInfo: ArtifactSource;
  /**
   * The source is zstd frames already (a dump tool piped into zstd: OpenedSource.compressed):
   * not compressed again; its plain size is the tool's
   */
  compressed?: { level: number; sourceBytes: () => number };
  /** the artifact's name on every destination */
  name: string;
  planId?: string | null;
  compressionLevel: number;
  /** where the `zstd` program is looked up (default: the system's; node:zlib without it) */
  toolPath?: string;
  /** raw X25519 public keys (base64) the data key is wrapped for; empty: not encrypted */
  recipients: readonly string[];
  destinations: readonly RunDestination[];
  /** bytes read from the source and handed to each destination so far */
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  sourceBytes: number;
  destinations: Record<string, number>;
}

export interface BackupResult {
  status: "succeeded" | "partial" | "failed";
  /** why the stream itself failed (the source, compression…), when it did */
  error: string | null;
  metadata: ArtifactMetadata | null;
  destinations: BranchOutcome[];
}

const PROGRESS_EVERY = 4 * 1024 * 1024;

export async function runBackup(input: BackupInput): Promise<BackupResult> {
  const startedAt = new Date().toISOString();
  const progress: Progress = { sourceBytes: 0, destinations: {} };
  // bytes read plus bytes handed to the destinations, kept as they move (not summed per chunk)
  let moved = 0;
  let reported = 0;
  const report = (force = false) => {
    if (!force && moved - reported < PROGRESS_EVERY) return;
    reported = moved;
    // a dump piped into zstd: its plain size read when reported (a /proc read), not per chunk
    if (input.compressed) progress.sourceBytes = input.compressed.sourceBytes();
    input.onProgress?.({ ...progress, destinations: { ...progress.destinations } });
  };
  // the source's bytes are counted, not hashed: the artifact's SHA-256 is of what is stored
  const read = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      progress.sourceBytes += chunk.length;
      moved += chunk.length;
      report();
      callback(null, chunk);
    },
  });
  const stored = measure();
  const tee = fanOut(
    input.destinations.map((d) => ({
      id: d.id,
      put: (stream) => d.destination.put(stream, input.name),
    })),
    (id, bytes) => {
      moved += bytes - (progress.destinations[id] ?? 0);
      progress.destinations[id] = bytes;
      report();
    },
  );
  const level = input.compressed?.level ?? input.compressionLevel;
  const stages = [
    input.source,
    ...(input.compressed ? [] : [read, zstdCompressor(level, input.toolPath)]),
    ...(input.recipients.length > 0 ? [encryptStream(input.recipients)] : []),
    stored.stream,
    tee.writer,
  ];
  const streamError = await pipeline(stages).then(
    () => null,
    (error: Error) => error.message,
  );
  const outcomes = await tee.outcomes();
  report(true);
  if (streamError !== null)
    return {
      status: "failed",
      error: streamError,
      metadata: null,
      destinations: outcomes.map(failIfStored(streamError)),
    };
  const { bytes, sha256 } = stored.result();
  const metadata = artifactMetadata.parse({
    format: "steward-backup/1",
    artifact: input.name,
    source: input.sourceInfo,
    planId: input.planId ?? null,
    compression: { algorithm: "zstd", level },
    encryption:
      input.recipients.length > 0
        ? {
            algorithm: "aes-256-gcm-chunked",
            chunkSize: DEFAULT_CHUNK,
            recipients: [...input.recipients],
          }
        : null,
    sourceBytes: progress.sourceBytes,
    bytes,
    sha256,
    startedAt,
    finishedAt: new Date().toISOString(),
  });
  await Promise.all(outcomes.map((outcome) => writeSidecar(outcome, input, metadata)));
  const good = outcomes.filter((o) => o.error === null).length;
  const status = good === outcomes.length ? "succeeded" : good > 0 ? "partial" : "failed";
  return { status, error: null, metadata, destinations: outcomes };
}

const failIfStored = (error: string) => (outcome: BranchOutcome) =>
  outcome.error ? outcome : { ...outcome, error };

async function writeSidecar(
  outcome: BranchOutcome,
  input: BackupInput,
  metadata: ArtifactMetadata,
) {
  if (outcome.error !== null) return;
  // the tee handed every destination the very bytes hashed: their count is what is checked
  if (outcome.stored?.bytes !== metadata.bytes) {
    outcome.error = `the destination stored ${outcome.stored?.bytes} bytes, not the ${metadata.bytes} the pipeline sent`;
    return;
  }
  const destination = input.destinations.find((d) => d.id === outcome.id)?.destination;
  const body = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
  try {
    await destination?.put(Readable.from([body]), `${input.name}${SIDECAR_SUFFIX}`);
  } catch (error) {
    outcome.error = `the artifact was stored but its sidecar was not: ${(error as Error).message}`;
  }
}
