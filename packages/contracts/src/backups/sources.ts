// What a backup reads, as the agent receives it (issue 15): a node path as a tar, or one
// database dumped by its engine's own tool (mariadb-dump, pg_dump -Fc, mongodump --archive).
// "All databases of a server" is the panel's: it lists the server's databases at run time and
// makes one artifact per database, so the agent only ever dumps one. The connection is the
// same `databaseTarget` the database actions use (the node's own server through its admin
// socket, or an external one), so a database server is defined once (docs/databases.md).
import { z } from "zod";
import { databaseTarget } from "../databases/actions.ts";
import { databaseEngine, databaseNameProblem } from "../databases/names.ts";
import { noControl } from "../validators.ts";
import { absoluteDir } from "./destinations.ts";

/** A glob relative to the source's root: `cache/**`, `*.log`, `wp-content/uploads`. */
export const excludeGlob = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .refine(noControl, "must not contain control characters or newlines")
  .refine((s) => !s.startsWith("/"), "must be relative to the source's root");

export const backupSourceSpec = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("files"),
      path: absoluteDir,
      excludes: z.array(excludeGlob).max(100, "must be at most 100 globs").default([]),
    }),
    z.strictObject({
      kind: z.literal("database"),
      engine: databaseEngine,
      server: databaseTarget,
      /** checked against the engine's name rules by the agent and the panel alike */
      database: z.string().min(1).max(200),
    }),
    z.strictObject({
      kind: z.literal("mongodb"),
      /** mongodb:// or mongodb+srv:// URI; the password in it is a secret */
      uri: z.string().min(1).max(2048).refine(noControl, "must not contain control characters"),
      database: z.string().min(1).max(64).nullable().default(null),
    }),
  ],
  { error: "must be a files, database or mongodb source" },
);
export type BackupSourceSpec = z.output<typeof backupSourceSpec>;
export type BackupSourceSpecInput = z.input<typeof backupSourceSpec>;

/** MongoDB database names: no `/\. "$*<>:|?`, NUL or control characters, at most 63. */
const MONGO_NAME = /^[^/\\. "$*<>:|?]{1,63}$/;

/**
 * What the engines' name rules refuse in a source (the shared validator of database names),
 * each naming its field: the panel checks it on input, the agent again before any process.
 */
export function backupSourceProblems(
  spec: BackupSourceSpec,
): { path: string[]; message: string }[] {
  if (spec.kind === "database") {
    const problem = databaseNameProblem(spec.engine, "database", spec.database);
    return problem ? [{ path: ["database"], message: problem }] : [];
  }
  if (
    spec.kind === "mongodb" &&
    spec.database !== null &&
    (!MONGO_NAME.test(spec.database) || !noControl(spec.database))
  )
    return [
      {
        path: ["database"],
        message: 'must be at most 63 characters, none of / \\ . space " $ * < > : | ? or controls',
      },
    ];
  return [];
}
