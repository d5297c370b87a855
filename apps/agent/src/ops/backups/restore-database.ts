// A database artifact into a database: pg_restore (--no-owner, one transaction, stop at the
// first error) or the mariadb client, reading the plain dump on stdin; the database is
// created first. An existing target is refused unless `replace`; then the artifact goes into
// a staging database first, so a damaged artifact or a failing import never touches the
// target: PostgreSQL renames the staging database over it, MariaDB (no database rename)
// imports a second time into the emptied target once the first import succeeded.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { RowCount } from "@steward/contracts/backups";
import { adapterFor, asAdmin, type ServerAccess, type Steps } from "../databases/manage.ts";
import { ident } from "../databases/quote.ts";
import { OpFailure } from "../types.ts";
import { mariadbLogin, postgresLogin, type ToolOptions } from "./db-tools.ts";
import type { Sink } from "./restore.ts";
import { countRows, tablesOf } from "./row-counts.ts";
import { intoTool } from "./tool-process.ts";

/** Reads the artifact (checked, decrypted, decompressed) into a sink; may be called again. */
export type ReadArtifact = (sink: Sink) => Promise<unknown>;

/** The import tool's argv and environment for `database` (which exists). */
async function importTool(access: ServerAccess, database: string, o: ToolOptions) {
  const postgres = access.engine === "postgres";
  const login = postgres ? await postgresLogin(access, o) : await mariadbLogin(access, o);
  const [file, args] = postgres
    ? [
        "pg_restore",
        [
          "--no-owner",
          "--exit-on-error",
          "--single-transaction",
          ...login.args,
          `--dbname=${database}`,
        ],
      ]
    : ["mariadb", [...login.args, "--batch", `--database=${database}`]];
  return {
    file,
    args,
    env: login.env,
    settling: { tool: file, accepted: [0], secrets: login.secrets },
    finish: () => login.remove(),
  };
}

/**
 * A sink that imports a plain dump into `database` (which exists): fed by the agent, or, where
 * the `zstd` program is there, by zstd writing straight into the tool (`tool`, restore-tool.ts).
 */
export function importInto(access: ServerAccess, database: string, o: ToolOptions = {}): Sink {
  const sink = async (plain: AsyncIterable<Buffer>): Promise<void> => {
    const t = await importTool(access, database, o);
    try {
      const child = spawn(t.file, t.args, { env: t.env, stdio: ["pipe", "ignore", "pipe"] });
      await intoTool(child, plain, t.settling);
    } finally {
      await t.finish();
    }
  };
  return Object.assign(sink, { tool: { prepare: () => importTool(access, database, o) } });
}

/** Whether `database` exists and its base tables. */
export function inspectDatabase(access: ServerAccess, database: string) {
  return asAdmin(access, async (admin) => {
    if (!(await adapterFor(access.engine).databaseExists(admin, database)))
      return { exists: false, tables: [] as string[] };
    const tables =
      access.engine === "mariadb"
        ? await tablesOf(admin.session, database)
        : await admin.inDatabase(database, (s) => tablesOf(s, database));
    return { exists: true, tables };
  });
}

/** Every base table's rows in `database`. */
export const countRowsIn = (access: ServerAccess, database: string): Promise<RowCount[]> =>
  asAdmin(access, (admin) =>
    access.engine === "mariadb"
      ? countRows(admin.session, database)
      : admin.inDatabase(database, (s) => countRows(s, database)),
  );

export const createEmpty = (access: ServerAccess, database: string) =>
  asAdmin(access, (admin) => adapterFor(access.engine).createDatabase(admin, { name: database }));

export const dropDatabase = (access: ServerAccess, database: string) =>
  asAdmin(access, (admin) => adapterFor(access.engine).dropDatabase(admin, database));

/** A throwaway name the validators accept: steward_<purpose>_<12 hex>. */
export const throwawayName = (purpose: "restore" | "verify") =>
  `steward_${purpose}_${randomBytes(6).toString("hex")}`;

export interface DatabaseRestore {
  access: ServerAccess;
  database: string;
  replace: boolean;
  tools?: ToolOptions;
}

/** Creates `database`, imports into it; drops it when the import fails. */
async function intoNew(steps: Steps, read: ReadArtifact, r: DatabaseRestore, name: string) {
  await steps.step(`create database ${name}`, () => createEmpty(r.access, name));
  try {
    await steps.step(`import the artifact into ${name}`, () =>
      read(importInto(r.access, name, r.tools)),
    );
  } catch (error) {
    await dropDatabase(r.access, name).catch(() => undefined);
    throw error;
  }
}

/** Restores into r.database as described above; answers what was there before. */
export async function restoreDatabase(steps: Steps, read: ReadArtifact, r: DatabaseRestore) {
  const before = await inspectDatabase(r.access, r.database);
  if (before.exists && !r.replace)
    throw new OpFailure(
      "NAME_TAKEN",
      `the database ${r.database} exists: restore into another name, or set replace to replace it`,
    );
  if (!before.exists) {
    await intoNew(steps, read, r, r.database);
    return before;
  }
  const staging = throwawayName("restore");
  await intoNew(steps, read, r, staging);
  if (r.access.engine === "postgres") {
    try {
      await steps.step(`replace ${r.database} by ${staging}`, () =>
        asAdmin(r.access, async (admin) => {
          await adapterFor("postgres").dropDatabase(admin, r.database);
          await admin.session.query(
            `ALTER DATABASE ${ident("postgres", staging)} RENAME TO ${ident("postgres", r.database)}`,
          );
        }),
      );
    } catch (error) {
      await dropDatabase(r.access, staging).catch(() => undefined);
      throw error;
    }
    return before;
  }
  // MariaDB: the first import proved the artifact; now the target itself
  await steps.step(`drop ${staging}`, () => dropDatabase(r.access, staging));
  await steps.step(`empty ${r.database}`, async () => {
    await dropDatabase(r.access, r.database);
    await createEmpty(r.access, r.database);
  });
  await steps
    .step(`import the artifact into ${r.database}`, () =>
      read(importInto(r.access, r.database, r.tools)),
    )
    .catch((error: Error) => {
      throw new Error(
        `${error.message} (the staging import had succeeded; ${r.database} is left with what this import made of it)`,
      );
    });
  return before;
}
