// Restoring an artifact and test-restoring it (issue 15), as the agent operations
// `backup.restore` and `backup.verify` receive them: the destination's settings (secrets
// opened by the panel), the artifact's name, the private key when it is encrypted, and where
// it goes. Database names are checked with the one validator of database names.
import { z } from "zod";
import { databaseTarget } from "../databases/actions.ts";
import { checkName, databaseEngine, nameShape } from "../databases/names.ts";
import { absoluteDir, artifactName, destinationSettings } from "./destinations.ts";
import { mongoDatabase, mongoUri } from "./plans-api.ts";

/** A recipient's private key: PKCS#8 DER in base64 (keys.ts generateRecipient). */
export const recipientPrivateKey = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be a private key in base64 (the recovery kit's)");

const from = {
  destination: destinationSettings,
  artifact: artifactName,
  privateKey: recipientPrivateKey.optional(),
};

export const restoreTarget = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("files"),
      /** where to extract; null: the path the artifact was made from (its place) */
      path: absoluteDir.nullable().default(null),
    }),
    z.strictObject({
      kind: z.literal("database"),
      engine: databaseEngine,
      /** the same server, or another one */
      server: databaseTarget,
      /** the same database, or another name (a rename) */
      database: nameShape,
      /** an existing database is refused unless this is set (then replaced as a whole) */
      replace: z.boolean().default(false),
    }),
    z.strictObject({
      kind: z.literal("mongodb"),
      /** the deployment receiving the archive (its password is a secret) */
      uri: mongoUri,
      /** the archive's one database (null: it holds every database, restored as they are) */
      from: mongoDatabase.nullable().default(null),
      /** restore `from` under this name (null: its own) */
      database: mongoDatabase.nullable().default(null),
      /** drop each collection before restoring it */
      drop: z.boolean().default(false),
    }),
  ],
  { error: "must be a files, database or mongodb target" },
);
export type RestoreTarget = z.output<typeof restoreTarget>;

export const backupRestoreInput = z
  .strictObject({
    ...from,
    target: restoreTarget,
    /** list what would change and change nothing */
    dryRun: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.target.kind === "mongodb" && input.target.database && !input.target.from)
      ctx.addIssue({
        code: "custom",
        path: ["target", "database"],
        message: "an archive of every database is restored as it is: no rename",
      });
    if (input.target.kind === "database")
      checkName(ctx, input.target.engine, "database", input.target.database, [
        "target",
        "database",
      ]);
  });
export type BackupRestoreInput = z.output<typeof backupRestoreInput>;
export type BackupRestoreInputShape = z.input<typeof backupRestoreInput>;

/** At most this many paths are listed by a files dry run (the counts are always whole). */
export const RESTORE_LIST_LIMIT = 1000;

export const backupRestoreOutput = z.object({
  dryRun: z.boolean(),
  /** the path or database restored into */
  target: z.string(),
  /** did the target exist before (a database; a directory) */
  existed: z.boolean(),
  /** files: paths created; database: nothing (the tables come from the artifact) */
  created: z.array(z.string()),
  /** files: paths overwritten; database: the tables of the existing database replaced */
  replaced: z.array(z.string()),
  /** counts of the whole lists (the lists stop at RESTORE_LIST_LIMIT) */
  counts: z.object({ created: z.number().int(), replaced: z.number().int() }),
  /** the artifact's SHA-256 (checked as it was read; not read by a database dry run) */
  sha256: z.string(),
});
export type BackupRestoreOutput = z.output<typeof backupRestoreOutput>;

export const backupVerifyInput = z.strictObject({
  ...from,
  engine: databaseEngine,
  /** the server the throwaway database is made on (the source's) */
  server: databaseTarget,
});
export type BackupVerifyInput = z.output<typeof backupVerifyInput>;

export const tableCheck = z.object({
  name: z.string(),
  /** rows at dump time (null: the sidecar has no count for it) */
  expected: z.number().int().nullable(),
  /** rows after the restore (null: the restore has no such table) */
  actual: z.number().int().nullable(),
});

export const backupVerifyOutput = z.object({
  verified: z.boolean(),
  tables: z.array(tableCheck),
  message: z.string(),
});
export type BackupVerifyOutput = z.output<typeof backupVerifyOutput>;
