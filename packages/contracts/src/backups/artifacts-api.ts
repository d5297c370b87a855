// The API of an artifact's restore, test restore and download, a plan's change and its
// recovery kit (issue 15). The panel resolves a target named here (a database server of the
// account, a node) into the agent's `backupRestoreInput` (restore.ts); a database name is
// checked there against the server's engine with the one validator of database names.
import { z } from "zod";
import { cronExpression, timeZone } from "../api/tasks.ts";
import { nameShape } from "../databases/names.ts";
import { id, isoTime, label, text } from "../validators.ts";
import { absoluteDir } from "./destinations.ts";
import {
  backupPlanCreate,
  mongoDatabase,
  planEncryption,
  planVerifySchedule,
  retentionPolicy,
} from "./plans-api.ts";
import { recipientPrivateKey, tableCheck } from "./restore.ts";
import { compressionLevel } from "./run.ts";

export const artifactRestoreTarget = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("database"),
      /** a database server of the artifact's account; null: the one it was dumped from */
      serverId: id.nullable().default(null),
      /** null: the database it was dumped from; another name restores it renamed */
      database: nameShape.nullable().default(null),
      /** an existing database is refused unless this is set (then replaced as a whole) */
      replace: z.boolean().default(false),
    }),
    z.strictObject({
      kind: z.literal("files"),
      /** the node to extract on; null: the node it was read on */
      nodeId: id.nullable().default(null),
      /** null: the path it was read from */
      path: absoluteDir.nullable().default(null),
    }),
    z.strictObject({
      kind: z.literal("mongodb"),
      /** a MongoDB source of the artifact's account: its deployment receives the archive;
       *  null: the artifact's own source */
      sourceId: id.nullable().default(null),
      /** null: as dumped; a name restores the archive's one database under it (a rename) */
      database: mongoDatabase.nullable().default(null),
      /** drop each collection before restoring it (mongorestore --drop) */
      drop: z.boolean().default(false),
    }),
  ],
  { error: "must be a database, files or mongodb target" },
);
export type ArtifactRestoreTarget = z.output<typeof artifactRestoreTarget>;

/** An identity (X25519 private key) for artifacts of `recipients` plans: in no payload, log or audit. */
const identity = recipientPrivateKey.optional();

export const artifactRestoreRequest = z.strictObject({
  target: artifactRestoreTarget,
  /** list what would change and change nothing */
  dryRun: z.boolean().default(false),
  identity,
});
export type ArtifactRestoreRequest = z.output<typeof artifactRestoreRequest>;

export const artifactVerifyRequest = z.strictObject({ identity });

/** A download decrypted with the caller's key: in a body, never in a URL. */
export const artifactDownloadRequest = z.strictObject({ identity: recipientPrivateKey });

export const artifactDownloadQuery = z.strictObject({
  /** decrypt (and decompress) with the plan's panel-sealed key on the way out */
  decrypt: z.enum(["true", "false"]).default("false"),
});

export const artifactTaskAnswer = z.object({
  artifactId: id,
  taskId: id,
  kind: z.enum(["backup.restore", "backup.verify"]),
  dryRun: z.boolean(),
});

/** What a test restore found, kept on the artifact. */
export const artifactVerification = z.object({
  verified: z.boolean(),
  message: text(2000),
  tables: z.array(tableCheck),
  at: isoTime,
});

/** A plan's change: every field of the create but its account (and encryption: see docs). */
export const backupPlanUpdate = z
  .strictObject({
    name: label(100),
    sourceIds: backupPlanCreate.shape.sourceIds,
    destinationIds: backupPlanCreate.shape.destinationIds,
    schedule: cronExpression.nullable(),
    timeZone,
    compressionLevel,
    retention: retentionPolicy,
    concurrency: backupPlanCreate.shape.concurrency.unwrap(),
    enabled: z.boolean(),
    verify: planVerifySchedule.nullable(),
    /** only the same mode (recipients: a new list of keys); another mode is refused */
    encryption: planEncryption,
  })
  .partial();
export type BackupPlanUpdate = z.output<typeof backupPlanUpdate>;

export const recoveryKitQuery = z.strictObject({
  /** take the key again after it was taken once (with a reason, audited) */
  again: z.enum(["true", "false"]).default("false"),
  reason: text(500).optional(),
});
