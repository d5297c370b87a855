// A MariaDB/MySQL database as a backup source: `mariadb-dump --single-transaction --routines
// --triggers --events` (no CREATE DATABASE or USE: the dump imports into any database, which
// is how a restore renames). Row counts as close to the dump's snapshot as MariaDB allows: a
// session of this agent takes FLUSH TABLES WITH READ LOCK (no commit anywhere meanwhile),
// counts every table, starts the dump and lets go only once the dump wrote its first block,
// which it does after its consistent-snapshot transaction began. So for InnoDB tables the
// counts are the dump's; without the RELOAD privilege (no lock) no counts are recorded.
import type { BackupSourceSpec, RowCount } from "@steward/contracts/backups";
import type { ServerAccess } from "../databases/manage.ts";
import { openSession, type Session } from "../databases/session.ts";
import { mariadbLogin, type ToolOptions, toolVersion } from "./db-tools.ts";
import { countRows } from "./row-counts.ts";
import type { OpenedSource } from "./sources.ts";
import { redact, toolSource } from "./tool-process.ts";

type DatabaseSpec = Extract<BackupSourceSpec, { kind: "database" }>;

/** The dump's options after the login (which must come first). */
export const MARIADB_DUMP_OPTIONS = [
  "--single-transaction",
  "--routines",
  "--triggers",
  "--events",
  "--hex-blob",
  "--skip-dump-date",
];

/** Takes the global read lock and counts; null (and why) when the lock is not granted. */
async function lockAndCount(
  session: Session,
  database: string,
): Promise<{ counts: RowCount[] | undefined; warning: string | null }> {
  try {
    await session.query("FLUSH TABLES WITH READ LOCK");
  } catch (error) {
    return {
      counts: undefined,
      warning: `row counts not recorded (no global read lock: ${(error as Error).message})`,
    };
  }
  return { counts: await countRows(session, database), warning: null };
}

export async function mariadbSource(
  spec: DatabaseSpec,
  access: ServerAccess,
  nodeId: string | null,
  o: ToolOptions = {},
): Promise<OpenedSource> {
  const secrets = access.credentials.password ? [access.credentials.password] : [];
  const session = await openSession("mariadb", access.admin, access.credentials).catch(
    (error: Error) => {
      throw new Error(`MariaDB refused the dump's connection: ${redact(error.message, secrets)}`);
    },
  );
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await session.query("UNLOCK TABLES").catch(() => undefined);
    await session.close().catch(() => undefined);
  };
  let counted: Awaited<ReturnType<typeof lockAndCount>>;
  let login: Awaited<ReturnType<typeof mariadbLogin>>;
  let producer: string;
  try {
    counted = await lockAndCount(session, spec.database);
    login = await mariadbLogin(access, o);
    producer = await toolVersion("mariadb-dump", o.path);
  } catch (error) {
    await release();
    throw new Error(`counting rows failed: ${redact((error as Error).message, secrets)}`);
  }
  const { stream, child } = toolSource(
    "mariadb-dump",
    [...login.args, ...MARIADB_DUMP_OPTIONS, spec.database],
    login.env,
    {
      tool: "mariadb-dump",
      accepted: [0],
      secrets: login.secrets,
      cleanup: () => Promise.all([login.remove(), release()]),
    },
  );
  // stdout is block-buffered: its first block comes after START TRANSACTION WITH CONSISTENT
  // SNAPSHOT (only the short header is written before it)
  child.stdout?.once("data", () => void release());
  return {
    stream,
    info: {
      kind: "mariadb",
      nodeId,
      description: spec.database,
      producer,
      ...(counted.counts ? { rowCounts: counted.counts } : {}),
    },
    warnings: () => (counted.warning ? [counted.warning] : []),
  };
}
