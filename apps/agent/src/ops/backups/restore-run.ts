// The agent operation `backup.restore`: an artifact from a destination (its sidecar says how
// it was made; SHA-256, chunks and key are checked as it is read) into a path or a database,
// or a dry run that says what would change and changes nothing. No shell anywhere: tar,
// pg_restore, the mariadb client and mongorestore get argv and the plain stream on stdin.
import { lstat } from "node:fs/promises";
import {
  type ArtifactMetadata,
  absoluteDir,
  type BackupRestoreInput,
  type BackupRestoreOutput,
  RESTORE_LIST_LIMIT,
} from "@steward/contracts/backups";
import type { DatabaseEngine } from "@steward/contracts/databases";
import { accessOf } from "../databases/apply.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { TamperedError } from "./chunks.ts";
import { filesSink } from "./files.ts";
import { openDestination } from "./open.ts";
import { readSidecar, restoreArtifact } from "./restore.ts";
import { inspectDatabase, type ReadArtifact, restoreDatabase } from "./restore-database.ts";
import { type FilesPlan, filesPlanSink } from "./restore-files.ts";
import { intoMongo } from "./restore-mongodb.ts";

/** Why an artifact of `source.kind` cannot go where `wanted` goes (files, or an engine). */
export function kindProblem(
  source: ArtifactMetadata["source"],
  wanted: "files" | "mongodb" | DatabaseEngine,
): string | null {
  if (source.kind === wanted) return null;
  const what = source.kind === "files" ? "files" : `a ${source.kind} dump`;
  return `the artifact is ${what}, not ${wanted === "files" ? "files" : `a ${wanted} one`}`;
}

/** Errors of reading an artifact as failures a person can act on. */
export function asFailure(error: unknown): OpFailure {
  if (error instanceof OpFailure) return error;
  const message = (error as Error).message ?? String(error);
  const code = String((error as NodeJS.ErrnoException).code ?? "");
  // a chunk or the SHA-256 (TamperedError), or zstd's own check of an unencrypted artifact
  if (error instanceof TamperedError || code.startsWith("Z"))
    return new OpFailure("BACKUP_DAMAGED", message);
  if (message.includes("private key")) return new OpFailure("OP_INPUT_INVALID", message);
  return new OpFailure("COMMAND_FAILED", message.slice(0, 1000));
}

export async function restoreBackup(
  ctx: OpContext,
  input: BackupRestoreInput,
): Promise<BackupRestoreOutput> {
  const destination = openDestination(input.destination);
  try {
    const metadata = await ctx.step("read the sidecar", () =>
      readSidecar(destination, input.artifact),
    );
    const problem = kindProblem(
      metadata.source,
      input.target.kind === "database" ? input.target.engine : input.target.kind,
    );
    if (problem) throw new OpFailure("OP_INPUT_INVALID", `target: ${problem}`);
    const read: ReadArtifact = (sink) =>
      restoreArtifact({
        destination,
        name: input.artifact,
        ...(input.privateKey ? { privateKey: input.privateKey } : {}),
        sink,
      });
    const empty = { created: [], replaced: [], counts: { created: 0, replaced: 0 } };
    if (input.target.kind === "files") {
      const path = input.target.path ?? metadata.source.description;
      const place = absoluteDir.safeParse(path);
      if (!place.success)
        throw new OpFailure(
          "OP_INPUT_INVALID",
          `target.path: the artifact's own path ${JSON.stringify(path)} is not one to restore into`,
        );
      if (input.dryRun) {
        const plan: FilesPlan = { existed: false, ...structuredClone(empty) };
        await ctx.step(`list what would change under ${path}`, () =>
          read(filesPlanSink(place.data, plan)),
        );
        return { dryRun: true, target: path, sha256: metadata.sha256, ...plan };
      }
      const existed = await lstat(place.data).then(
        (found) => found.isDirectory(),
        () => false,
      );
      await ctx.step(`extract into ${path}`, () => read(filesSink(place.data)));
      ctx.changed();
      return { dryRun: false, target: path, existed, sha256: metadata.sha256, ...empty };
    }
    if (input.target.kind === "mongodb") {
      const target = input.target;
      const into = target.database ?? target.from ?? "every database of the archive";
      await ctx.step(`${input.dryRun ? "dry run of restoring" : "restore"} into ${into}`, () =>
        read(intoMongo(target, input.dryRun)),
      );
      if (!input.dryRun) ctx.changed();
      return {
        dryRun: input.dryRun,
        target: into,
        existed: false,
        sha256: metadata.sha256,
        ...empty,
      };
    }
    const target = input.target;
    const access = accessOf(target, ctx.config.databases);
    if (input.dryRun) {
      const found = await ctx.step(`look at ${target.database}`, () =>
        inspectDatabase(access, target.database),
      );
      return {
        dryRun: true,
        target: target.database,
        sha256: metadata.sha256,
        existed: found.exists,
        created: [],
        replaced: found.tables.slice(0, RESTORE_LIST_LIMIT),
        counts: { created: 0, replaced: found.tables.length },
      };
    }
    const before = await restoreDatabase(ctx, read, {
      access,
      database: target.database,
      replace: target.replace,
      tools: {},
    });
    ctx.changed();
    return {
      dryRun: false,
      target: target.database,
      sha256: metadata.sha256,
      existed: before.exists,
      created: [],
      replaced: before.tables.slice(0, RESTORE_LIST_LIMIT),
      counts: { created: 0, replaced: before.tables.length },
    };
  } catch (error) {
    throw asFailure(error);
  } finally {
    await destination.close().catch(() => undefined);
  }
}
