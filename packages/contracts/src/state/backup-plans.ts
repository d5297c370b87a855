// Backup sources and plans as files, with the backup API's own validators. Both belong to an
// account: `backup-source/<account>--<name>.yaml`, `backup-plan/<account>--<name>.yaml`. A
// source names what it reads by name (a node, a database `<server>--<name>`, a database
// server by its file's name); a MongoDB URI holds a password, so it is a secret
// (`backup-source/<file>/uri`). A plan names its sources and destinations by their files'
// names: sources of its account, destinations of its account or shared ones.
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { absoluteDir } from "../backups/destinations.ts";
import { mongoDatabase } from "../backups/plans-api.ts";
import { excludeGlob } from "../backups/sources.ts";
import { label, slug } from "../validators.ts";
import { serverFileName } from "./database-items.ts";
import { scopedFileName, secretRef } from "./names.ts";

/** A database by its server's file name and its name: `main-mariadb--shop_app`. */
const databaseFileName = z
  .string()
  .max(300, "must be at most 300 characters")
  .regex(
    /^[a-z0-9]+(-[a-z0-9]+)*--[a-z][a-z0-9_]*$/,
    "must be a database's file name (<server>--<name>)",
  );

/** The name of a source's secret: `backup-source/shop--customers/uri`. */
export const sourceSecret = (fileName: string, field: "uri") =>
  `backup-source/${fileName}/${field}`;

const sourceSpec = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("files"),
      node: nodeName,
      path: absoluteDir,
      excludes: z.array(excludeGlob).max(100, "must be at most 100 globs").default([]),
    }),
    z.strictObject({ kind: z.literal("database"), database: databaseFileName }),
    /** every database of the server */
    z.strictObject({ kind: z.literal("server"), server: serverFileName }),
    z.strictObject({
      kind: z.literal("mongodb"),
      node: nodeName,
      uri: secretRef,
      database: mongoDatabase.nullable().default(null),
    }),
    z.strictObject({ kind: z.literal("steward") }),
  ],
  { error: "must be a files, database, server, mongodb or steward source" },
);

export const backupSourceFile = z
  .strictObject({ name: label(100), account: slug, source: sourceSpec })
  .superRefine((s, ctx) => {
    if (s.source.kind !== "mongodb") return;
    const want = sourceSecret(scopedFileName(s), "uri");
    if (s.source.uri.secret !== want)
      ctx.addIssue({
        code: "custom",
        path: ["source", "uri", "secret"],
        message: `must be { secret: ${want} }`,
      });
  });
export type BackupSourceFile = z.infer<typeof backupSourceFile>;
