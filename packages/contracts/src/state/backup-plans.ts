// Backup sources and plans as files, with the backup API's own validators. Both belong to an
// account: `backup-source/<account>--<name>.yaml`, `backup-plan/<account>--<name>.yaml`. A
// source names what it reads by name (a node, a database `<server>--<name>`, a database
// server by its file's name); a MongoDB URI holds a password, so it is a secret
// (`backup-source/<file>/uri`). A plan names its sources and destinations by their files'
// names: sources of its account, destinations of its account or shared ones.
import { z } from "zod";
import { nodeName } from "../api/nodes.ts";
import { absoluteDir } from "../backups/destinations.ts";
import { backupPlanCreate, mongoDatabase } from "../backups/plans-api.ts";
import { excludeGlob } from "../backups/sources.ts";
import { label, slug } from "../validators.ts";
import { serverFileName } from "./database-items.ts";
import { scopedFileName, secretRef, stateFileName } from "./names.ts";

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

const names = (what: string, max: number) =>
  z
    .array(stateFileName)
    .min(1, `must name at least one ${what}`)
    .max(max, `must name at most ${max} ${what}s`)
    .transform((list) => [...new Set(list)].sort());

const { shape } = backupPlanCreate;
export const backupPlanFile = z
  .strictObject({
    name: label(100),
    account: slug,
    /** the sources' file names (`shop--files`), sources of the plan's account */
    sources: names("source", 50),
    /** the destinations' file names: the account's (`shop--offsite`) or shared ones */
    destinations: names("destination", 16),
    schedule: shape.schedule,
    timeZone: shape.timeZone,
    compressionLevel: shape.compressionLevel,
    encryption: shape.encryption,
    retention: shape.retention,
    concurrency: shape.concurrency,
    enabled: shape.enabled,
    verify: shape.verify,
  })
  .superRefine((p, ctx) => {
    p.sources.forEach((s, i) => {
      if (!s.startsWith(`${p.account}--`))
        ctx.addIssue({
          code: "custom",
          path: ["sources", i],
          message: `must be a source of account ${p.account} (${p.account}--<name>)`,
        });
    });
    p.destinations.forEach((d, i) => {
      if (d.includes("--") && !d.startsWith(`${p.account}--`))
        ctx.addIssue({
          code: "custom",
          path: ["destinations", i],
          message: `must be a destination of account ${p.account} or a shared one`,
        });
    });
  });
export type BackupPlanFile = z.infer<typeof backupPlanFile>;
