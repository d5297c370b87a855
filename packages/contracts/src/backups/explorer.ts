// The storage explorer (issue 15): what a destination holds, each object joined with the
// artifact the panel recorded for it: known (recorded), unknown (not recorded: put there by
// hand, by another panel, or recorded and forgotten) or missing (recorded, but gone from the
// destination). Unknown artifacts with a valid sidecar can be imported as artifacts.
import { z } from "zod";
import { id, isoTime } from "../validators.ts";
import { artifactName } from "./destinations.ts";
import { backupArtifact } from "./plans-api.ts";

export const explorerStatuses = ["known", "unknown", "missing"] as const;
export type ExplorerStatus = (typeof explorerStatuses)[number];

const bytesQuery = z.coerce
  .number({ error: "must be a number" })
  .int("must be an integer")
  .nonnegative("must not be negative");

export const explorerQuery = z.strictObject({
  /** known and unknown: the destination's objects in name order; missing: the artifacts whose object is gone, newest first */
  status: z.enum(explorerStatuses).optional(),
  /** the plan that made it (the artifact's, or the sidecar's when unknown) */
  plan: id.optional(),
  source: id.optional(),
  verified: z.enum(["true", "false"]).optional(),
  /** written at or after / before (ISO-8601): the object's time, or the artifact's */
  from: isoTime.optional(),
  to: isoTime.optional(),
  minBytes: bytesQuery.optional(),
  maxBytes: bytesQuery.optional(),
});
export type ExplorerQuery = z.output<typeof explorerQuery>;

/** What an object's sidecar says, in short. */
export const sidecarSummary = z.object({
  planId: z.string().nullable(),
  sourceKind: z.string(),
  sourceDescription: z.string(),
  nodeId: z.string().nullable(),
  bytes: z.number(),
  sha256: z.string(),
  encrypted: z.boolean(),
  finishedAt: isoTime,
});
export type SidecarSummary = z.output<typeof sidecarSummary>;

export const explorerObject = z.object({
  name: z.string(),
  status: z.enum(explorerStatuses),
  /** the object's size on the destination (null: missing) */
  bytes: z.number().nullable(),
  modifiedAt: isoTime.nullable(),
  /** the panel's artifact (known, missing) */
  artifact: backupArtifact.nullable(),
  sidecar: sidecarSummary.nullable(),
  /** why it has no usable sidecar: "no sidecar", "the sidecar is invalid: …" */
  problem: z.string().nullable(),
});
export type ExplorerObject = z.output<typeof explorerObject>;

/** Imports unknown artifacts from their sidecars. */
export const artifactImport = z.strictObject({
  names: z
    .array(artifactName)
    .min(1, "must name at least one artifact")
    .max(100, "must be at most 100 names"),
  /** the account they become artifacts of (default: the destination's; a shared one needs it) */
  accountId: id.optional(),
  /** the plan they belong to (default: the sidecar's plan when it is the account's, else none) */
  planId: id.nullable().optional(),
});
export type ArtifactImport = z.output<typeof artifactImport>;

export const artifactImportAnswer = z.object({ imported: z.array(backupArtifact) });

export const artifactDeleteQuery = z.strictObject({
  /** delete it even when it is the only good copy of its source */
  force: z.enum(["true", "false"]).optional(),
});
