// A MariaDB/MySQL database as a backup source: `mariadb-dump --single-transaction --routines
// --triggers --events` (no CREATE DATABASE or USE: the dump imports into any database, which
// is how a restore renames). Row counts as close to the dump's snapshot as MariaDB allows: a
// session of this agent takes FLUSH TABLES WITH READ LOCK (no commit anywhere meanwhile), a
// second one starts a consistent snapshot under it, the dump starts, and the lock goes once
// the dump wrote its first block, which it does after its own consistent-snapshot transaction
// began: both snapshots see the same commits. The second session counts every table while
// the dump runs. So for InnoDB tables the counts are the dump's; without the RELOAD privilege
// (no lock) no counts are recorded.
import type { ArtifactSource, BackupSourceSpec } from "@steward/contracts/backups";
import type { ServerAccess } from "../databases/manage.ts";
import { openSession, type Session } from "../databases/session.ts";
import { mariadbLogin, toolVersion } from "./db-tools.ts";
import { countRows } from "./row-counts.ts";
import type { OpenedSource } from "./sources.ts";
import { type DumpOptions, dumpToolSource } from "./tool-compressed.ts";
import { redact } from "./tool-process.ts";

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

/**
 * Takes the global read lock (no commit anywhere while it is held) and opens, under it, a
 * second session's consistent snapshot: it sees what the dump's snapshot, begun before the
 * lock is released, sees. Null (and why) when the lock is not granted.
 */
async function lockAndSnapshot(
  lock: Session,
  counter: Session,
): Promise<{ warning: string | null }> {
  try {
    await lock.query("FLUSH TABLES WITH READ LOCK");
  } catch (error) {
    return {
      warning: `row counts not recorded (no global read lock: ${(error as Error).message})`,
    };
  }
  await counter.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  await counter.query("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  return { warning: null };
}

export async function mariadbSource(
  spec: DatabaseSpec,
  access: ServerAccess,
  nodeId: string | null,
  o: DumpOptions = {},
): Promise<OpenedSource> {
  const secrets = access.credentials.password ? [access.credentials.password] : [];
  // asked beside the connections, not while the tables are locked (it never fails: the tool's
  // name stands in)
  const producing = toolVersion("mariadb-dump", o.path);
  const connect = () =>
    openSession("mariadb", access.admin, access.credentials).catch((error: Error) => {
      throw new Error(`MariaDB refused the dump's connection: ${redact(error.message, secrets)}`);
    });
  const lock = await connect();
  const counter = await connect().catch(async (error) => {
    await lock.close().catch(() => undefined);
    throw error;
  });
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await lock.query("UNLOCK TABLES").catch(() => undefined);
    await lock.close().catch(() => undefined);
  };
  const closeCounter = () =>
    counter
      .query("COMMIT")
      .catch(() => undefined)
      .finally(() => counter.close().catch(() => undefined));
  let locked: Awaited<ReturnType<typeof lockAndSnapshot>>;
  let login: Awaited<ReturnType<typeof mariadbLogin>>;
  let producer: string;
  try {
    locked = await lockAndSnapshot(lock, counter);
    login = await mariadbLogin(access, o);
    producer = await producing;
  } catch (error) {
    await Promise.all([release(), closeCounter()]);
    throw new Error(`counting rows failed: ${redact((error as Error).message, secrets)}`);
  }
  const info: ArtifactSource = {
    kind: "mariadb",
    nodeId,
    description: spec.database,
    producer,
  };
  let failed: Error | null = null;
  let counting: Promise<void> | null = null;
  // The lock goes and the rows are counted in the counter's snapshot (while the dump reads its
  // own) once the dump has begun its snapshot: at its first bytes, or at its exit when those
  // come no earlier (a small dump through zstd, which writes at the end).
  const startCounting = () => {
    if (counting) return counting;
    void release();
    counting =
      locked.warning !== null
        ? Promise.resolve()
        : countRows(counter, spec.database).then(
            (counts) => {
              info.rowCounts = counts;
            },
            (error: Error) => {
              failed = new Error(`counting rows failed: ${redact(error.message, secrets)}`);
            },
          );
    return counting;
  };
  const { stream, onFirstBytes, compressed } = dumpToolSource(
    "mariadb-dump",
    [...login.args, ...MARIADB_DUMP_OPTIONS, spec.database],
    login.env,
    {
      tool: "mariadb-dump",
      accepted: [0],
      secrets: login.secrets,
      failure: () => failed,
      // the stream ends once the dump exited and the counts are done
      cleanup: () =>
        Promise.all([login.remove(), release(), startCounting().finally(closeCounter)]),
    },
    o,
  );
  // stdout is block-buffered: its first block comes after START TRANSACTION WITH CONSISTENT
  // SNAPSHOT (only the short header is written before it), and zstd's first bytes after that.
  onFirstBytes(() => void startCounting());
  return {
    stream,
    info,
    warnings: () => (locked.warning ? [locked.warning] : []),
    compressed,
  };
}
