// backup.destination.test: "test destination" for a directory on the node, run by its agent
// (write, read back, compare and delete a probe object), as the panel runs it for the kinds it
// reaches itself.
import { z } from "zod";
import {
  artifactName,
  destinationSettings,
  localDestinationSettings,
} from "../backups/destinations.ts";
import { artifactMetadata } from "../backups/metadata.ts";
import { isoTime, noControl } from "../validators.ts";

export const backupDestinationTestInput = z.strictObject({ settings: localDestinationSettings });

export const backupDestinationTestOutput = z.object({
  ok: z.boolean(),
  /** the step that failed */
  step: z.enum(["write", "read", "compare", "delete"]).optional(),
  message: z.string().optional(),
});

/** A name as a destination may hold it (the explorer's cursor): no path, no control character. */
const objectName = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (s) => noControl(s) && !s.includes("/"),
    "must be a name without / or control characters",
  );

/**
 * backup.destination.list: a destination's objects, one page in name order (byte order of the
 * names), each with its sidecar or why it has none. With `names`, exactly those artifacts (the
 * ones present), and with `hash` their SHA-256 read from the objects (the import checks it).
 */
export const backupDestinationListInput = z.strictObject({
  settings: destinationSettings,
  /** only names starting with this */
  prefix: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9._+-]*$/, "must be letters, digits, . _ + -")
    .default(""),
  /** the names after this one (the last of the previous page) */
  after: objectName.optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  names: z.array(artifactName).min(1).max(100).optional(),
  hash: z.boolean().default(false),
});
export type BackupDestinationListInput = z.input<typeof backupDestinationListInput>;

export const destinationObject = z.object({
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  modifiedAt: isoTime.nullable(),
  /** the sidecar next to it, when it has a valid one */
  sidecar: artifactMetadata.nullable(),
  /** why it has none: "no sidecar", "the sidecar is invalid: …", "not an artifact name" */
  sidecarProblem: z.string().nullable(),
  /** the object's SHA-256, when asked (hash) */
  sha256: z.string().nullable(),
});
export type DestinationObject = z.output<typeof destinationObject>;

export const backupDestinationListOutput = z.object({
  objects: z.array(destinationObject),
  /** `after` for the next page; null at the end */
  next: z.string().nullable(),
});
export type BackupDestinationListOutput = z.output<typeof backupDestinationListOutput>;

/** backup.destination.delete: artifacts and their sidecars (a missing one is not an error). */
export const backupDestinationDeleteInput = z.strictObject({
  settings: destinationSettings,
  names: z.array(artifactName).min(1).max(100),
});
export const backupDestinationDeleteOutput = z.object({ deleted: z.array(z.string()) });
