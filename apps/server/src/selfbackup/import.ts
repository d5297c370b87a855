// `steward backup import`: a Steward export back into a data directory (and, for PostgreSQL,
// into the empty database STEWARD_DATABASE_URL names). Read twice: first only checked (the
// SHA-256 of the stored bytes, every chunk, the key, the container), so a damaged or altered
// file writes nothing; then restored into a private staging directory inside the data
// directory and moved into place file by file.
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { openDestination, restoreArtifact, TamperedError } from "@steward/agent/backups";
import type { SelfManifest } from "@steward/contracts/backups";
import type { Ctx } from "../access/types.ts";
import { recordAudit } from "../audit/log.ts";
import type { Settings } from "../config/schema.ts";
import { type Db, postgresUrlOf, sqliteFileOf } from "../db/open.ts";
import { invalid } from "../lib/errors.ts";
import { ContainerError, type Member, unpackContainer } from "./container.ts";
import { postgresRestore, postgresTables, writeNew } from "./database.ts";

export interface ImportRequest {
  /** the export's file (its sidecar `<file>.meta.json` beside it) */
  file: string;
  /** a recipient's private key (PKCS#8 DER, base64) */
  privateKey: string;
  /** replace what the data directory holds */
  force: boolean;
}

export interface ImportResult {
  engine: SelfManifest["engine"];
  dataDir: string;
  database: string;
  restored: string[];
}

const drain = async (rest: AsyncIterable<Buffer>) => {
  for await (const _ of rest);
};

export async function importSteward(
  settings: Settings,
  request: ImportRequest,
): Promise<ImportResult> {
  const { dataDir } = settings;
  const url = postgresUrlOf(settings);
  const sqliteFile = url ? null : sqliteFileOf(settings);
  const present = await readdir(dataDir).catch(() => []);
  if (present.length > 0 && !request.force)
    throw invalid(
      "--data-dir",
      `${dataDir} is not empty (${present.slice(0, 3).join(", ")}…): import into an empty directory, or give --force to replace what it holds`,
    );
  const artifact = {
    destination: openDestination({ kind: "local", nodeId: "local", path: dirname(request.file) }),
    name: basename(request.file),
    privateKey: request.privateKey,
  };
  // 1. checked whole before anything is written
  let manifest: SelfManifest | undefined;
  await read(() =>
    restoreArtifact({
      ...artifact,
      sink: async (plain) => {
        manifest = (await unpackContainer(plain, (_m, rest) => drain(rest))).manifest;
      },
    }),
  );
  const engine = manifest?.engine ?? "sqlite";
  if (engine !== (url ? "postgres" : "sqlite"))
    throw invalid(
      "STEWARD_DATABASE_URL",
      engine === "postgres"
        ? "the export holds a PostgreSQL database: set STEWARD_DATABASE_URL to an empty PostgreSQL database to restore it into"
        : "the export holds a SQLite database: unset STEWARD_DATABASE_URL to restore it into the data directory",
    );
  if (url && (await postgresTables(url)) > 0)
    throw invalid(
      "STEWARD_DATABASE_URL",
      "the database is not empty: create an empty database to import into",
    );
  // 2. restored into staging, then moved into place
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const staging = await mkdtemp(join(dataDir, ".steward-import-"));
  try {
    let members: Member[] = [];
    await read(() =>
      restoreArtifact({
        ...artifact,
        sink: async (plain) => {
          const unpacked = await unpackContainer(plain, (_m, rest) =>
            url ? postgresRestore(url, rest) : writeNew(join(staging, "steward.db"), rest),
          );
          members = unpacked.members;
        },
      }),
    );
    for (const m of members) await writeFile(join(staging, m.name), m.content, { mode: 0o600 });
    // into place: the database last but one, the master key last (a panel started meanwhile
    // finds either nothing or a database with its key)
    const moves: [string, string][] = [
      ...members
        .filter((m) => m.name === "steward.json")
        .map((m): [string, string] => [m.name, join(dataDir, m.name)]),
      ...(sqliteFile ? [["steward.db", sqliteFile] as [string, string]] : []),
      ...members
        .filter((m) => m.name === "master.key")
        .map((m): [string, string] => [m.name, join(dataDir, m.name)]),
    ];
    for (const [name, to] of moves) {
      if (name === "steward.db")
        await Promise.all(["-wal", "-shm"].map((s) => rm(`${to}${s}`, { force: true })));
      await mkdir(dirname(to), { recursive: true, mode: 0o700 });
      await rename(join(staging, name), to);
    }
    return {
      engine,
      dataDir,
      database: sqliteFile ?? `PostgreSQL ${postgresWhere(url ?? "")}`,
      restored: moves.map(([, to]) => to),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const postgresWhere = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};

/** A read of the artifact whose failures say what happened in the user's words. */
async function read<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof TamperedError || /unsupported|corrupt|zstd/i.test(message))
      throw invalid(
        "<file>",
        `the export is damaged or was altered, nothing was written: ${message}`,
      );
    if (error instanceof ContainerError) throw invalid("<file>", message);
    if (/recipients|private key|pkcs|asn1|DECODER/i.test(message))
      throw invalid("--identity", `this private key does not open the export: ${message}`);
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw invalid(
        "<file>",
        `${(error as NodeJS.ErrnoException).path ?? "the file"} does not exist (the export and its .meta.json beside it)`,
      );
    throw error;
  }
}

/** The import as the restored panel's first audit event (`steward.import`). */
export async function recordImport(db: Db, ctx: Ctx, file: string, result: ImportResult) {
  await recordAudit(db.db, ctx, {
    action: "steward.import",
    targetType: "steward",
    diff: { file, engine: result.engine, restored: result.restored },
  });
}
