// The agent operation `backup.run` (issue 15): one source read on the node, one artifact
// streamed (zstd, optionally encrypted for the recipients) into every destination at once. The
// panel sends the destinations' settings with their secrets opened for this run only. Progress
// travels as log lines of one shape (`backupProgressLine`), which the panel's task reads back
// into its progress (`parseBackupProgress`).
import { z } from "zod";
import { id, text } from "../validators.ts";
import { artifactName, destinationSettings } from "./destinations.ts";
import { artifactMetadata } from "./metadata.ts";
import { backupSourceSpec } from "./sources.ts";

/** A recipient: a raw X25519 public key, base64 (what `generateRecipient` makes). */
export const recipientKey = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, "must be a raw X25519 public key in base64 (44 characters)");

export const compressionLevel = z
  .number()
  .int("must be a whole number")
  .min(1, "must be 1 to 19")
  .max(19, "must be 1 to 19");

export const backupRunInput = z.strictObject({
  /** the panel's run (names the artifact's log lines, never a path) */
  runId: id,
  artifact: artifactName,
  source: backupSourceSpec,
  compressionLevel,
  /** empty: not encrypted */
  recipients: z.array(recipientKey).max(16),
  destinations: z
    .array(z.strictObject({ id, settings: destinationSettings }))
    .min(1)
    .max(16),
  planId: id.nullable().default(null),
  /**
   * Retention, chosen by the panel counting this run's artifact as stored: the older artifacts
   * (and their sidecars) to delete from each destination, only once the run succeeded (every
   * destination has the new one), so the only good copy is never deleted.
   */
  prune: z
    .array(z.strictObject({ destinationId: id, names: z.array(artifactName).max(1000) }))
    .max(16)
    .default([]),
});
export type BackupRunInput = z.output<typeof backupRunInput>;

export const backupOutcome = z.object({
  id,
  /** bytes handed to this destination */
  written: z.number().int().nonnegative(),
  /** what the destination stored (equal to the artifact's size and SHA-256 when it succeeded) */
  bytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().nullable(),
  error: text(2000).nullable(),
});
export type BackupOutcome = z.output<typeof backupOutcome>;

export const backupRunOutput = z.object({
  status: z.enum(["succeeded", "partial", "failed"]),
  error: text(2000).nullable(),
  metadata: artifactMetadata.nullable(),
  destinations: z.array(backupOutcome),
  /** what the source had to say (symlinks left out, files changed while read) */
  warnings: z.array(text(2000)),
  /** the artifacts retention deleted (or could not), by destination */
  pruned: z.array(
    z.object({ destinationId: id, names: z.array(z.string()), error: text(2000).nullable() }),
  ),
});
export type BackupRunOutput = z.output<typeof backupRunOutput>;

/** Progress as it is logged: bytes read, bytes per destination, the rate since the start. */
export interface BackupProgress {
  sourceBytes: number;
  destinations: Record<string, number>;
  /** bytes read from the source per second since the start */
  rate: number;
}

const PREFIX = "backup progress ";

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The log line the agent writes: readable, and a JSON object after the prefix. */
export const backupProgressLine = (p: BackupProgress) =>
  `${PREFIX}${JSON.stringify(p)} (read ${mib(p.sourceBytes)} at ${mib(p.rate)}/s)`;

const progressShape = z.object({
  sourceBytes: z.number().nonnegative(),
  destinations: z.record(z.string(), z.number().nonnegative()),
  rate: z.number().nonnegative(),
});

/** The progress in a log line written by `backupProgressLine`; null for any other line. */
export function parseBackupProgress(line: string): BackupProgress | null {
  if (!line.startsWith(PREFIX)) return null;
  const end = line.lastIndexOf(" (read ");
  if (end < 0) return null;
  try {
    const parsed = progressShape.safeParse(JSON.parse(line.slice(PREFIX.length, end)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One line for a task's progress message: read bytes and rate, then each destination. */
export const describeProgress = (p: BackupProgress, names: Record<string, string> = {}) =>
  [
    `read ${mib(p.sourceBytes)} at ${mib(p.rate)}/s`,
    ...Object.entries(p.destinations).map(([d, n]) => `${names[d] ?? d}: ${mib(n)}`),
  ].join("; ");
