// The sidecar written next to every artifact (`<artifact>.meta.json`): enough to restore from
// the destination alone, without the panel: what the source was, how the bytes were compressed
// and encrypted (and for whom), their sizes and SHA-256, and when.
import { z } from "zod";
import { isoTime } from "../validators.ts";
import { artifactName } from "./destinations.ts";

export const SIDECAR_SUFFIX = ".meta.json";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex");
const bytes = z.number().int().nonnegative();

/** One table (PostgreSQL: schema.table) and its rows. */
export const rowCount = z.strictObject({ table: z.string().min(1).max(300), rows: bytes });
export type RowCount = z.output<typeof rowCount>;

export const artifactSource = z.strictObject({
  /** files: a tar of a node path; the database kinds come with the database sources */
  kind: z.enum(["files", "mariadb", "postgres", "mongodb", "steward"]),
  /** the node the source was read on */
  nodeId: z.string().max(64).nullable(),
  /** a path, a database name…: what a person recognises */
  description: z.string().max(1024),
  /** the tool and its version that produced the stream (tar 1.35, pg_dump 17.2…) */
  producer: z.string().max(200).nullable().default(null),
  /**
   * A database's tables and their rows when it was dumped (PostgreSQL: in the dump's own
   * snapshot; MariaDB: under a global read lock the dump's snapshot began in): what a test
   * restore compares with. Absent in files artifacts and in older sidecars.
   */
  rowCounts: z.array(rowCount).max(100_000).optional(),
});
export type ArtifactSource = z.output<typeof artifactSource>;

export const artifactMetadata = z.strictObject({
  format: z.literal("steward-backup/1"),
  artifact: artifactName,
  source: artifactSource,
  /** the plan that made it, when a plan did (next session) */
  planId: z.string().max(64).nullable().default(null),
  compression: z.strictObject({
    algorithm: z.literal("zstd"),
    level: z.number().int().min(1).max(22),
  }),
  encryption: z
    .strictObject({
      algorithm: z.literal("aes-256-gcm-chunked"),
      chunkSize: z.number().int().positive(),
      /** raw X25519 public keys, base64, that can open it */
      recipients: z.array(z.string().max(64)).min(1),
    })
    .nullable(),
  /** bytes read from the source, before compression */
  sourceBytes: bytes,
  /** the artifact as stored: its size and SHA-256 */
  bytes,
  sha256,
  startedAt: isoTime,
  finishedAt: isoTime,
});
export type ArtifactMetadata = z.output<typeof artifactMetadata>;
