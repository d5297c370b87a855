// The panel's database in a Steward export: a consistent copy while the panel runs (SQLite:
// `VACUUM INTO` one read transaction; PostgreSQL: pg_dump), and its restore (the SQLite file;
// pg_restore into an empty database). Tools get argv and an environment of their own: the
// connection (password included) travels in PG* variables, never on a command line.
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { intoTool, toolEnv, toolSource, toolVersion } from "@steward/agent/backups";
import pg from "pg";

export interface Snapshot {
  stream: Readable;
  producer: string;
}

/**
 * A consistent copy of the SQLite file (one read transaction: the panel keeps writing) into a
 * private directory beside it, opened and unlinked at once: the stream reads a file that no
 * longer has a name, so nothing is left behind whatever happens next.
 */
export async function sqliteSnapshot(file: string): Promise<Snapshot> {
  const dir = await mkdtemp(join(dirname(file), ".steward-export-"));
  try {
    const copy = join(dir, "steward.db");
    const raw = new DatabaseSync(file);
    let producer: string;
    try {
      raw.exec("PRAGMA busy_timeout = 5000");
      raw.prepare("VACUUM INTO ?").run(copy);
      producer = `SQLite ${String(raw.prepare("select sqlite_version() as v").get()?.v)}`;
    } finally {
      raw.close();
    }
    const handle = await open(copy, "r");
    await rm(dir, { recursive: true, force: true });
    return { stream: handle.createReadStream(), producer };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The PG* environment of a tool connecting to `url` (nothing of the panel's own). */
export function postgresEnv(url: string): { env: Record<string, string>; secrets: string[] } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  const env: Record<string, string> = {
    PGHOST: u.hostname.replace(/^\[|\]$/g, "") || "localhost",
    PGPORT: u.port || "5432",
    PGUSER: decodeURIComponent(u.username),
    PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
    // no ~/.pgpass, no service file: only what the URL says
    PGPASSFILE: "/nonexistent/steward",
    PGSERVICEFILE: "/nonexistent/steward",
    PGCONNECT_TIMEOUT: "10",
    PGAPPNAME: "steward-self-backup",
  };
  const host = u.searchParams.get("host");
  if (host) env.PGHOST = host;
  const sslmode = u.searchParams.get("sslmode");
  if (sslmode) env.PGSSLMODE = sslmode;
  if (password) env.PGPASSWORD = password;
  return { env: toolEnv(env), secrets: password ? [password] : [] };
}

/** `pg_dump --format=custom` of the panel's database (uncompressed: the pipeline uses zstd). */
export async function postgresDump(url: string): Promise<Snapshot> {
  const { env, secrets } = postgresEnv(url);
  const producer = await toolVersion("pg_dump");
  const { stream } = toolSource(
    "pg_dump",
    ["--format=custom", "--compress=0", "--no-password"],
    env,
    { tool: "pg_dump", accepted: [0], secrets },
  );
  return { stream, producer };
}

/** Tables in the database `url` names, outside PostgreSQL's own schemas. */
export async function postgresTables(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "select count(*) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace " +
        "where c.relkind in ('r', 'p', 'v', 'm', 'S') " +
        "and s.nspname not in ('pg_catalog', 'information_schema') and s.nspname not like 'pg\\_%'",
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * pg_restore of a custom-format dump into the database `url` names, in one transaction:
 * a failure leaves it as it was.
 */
export async function postgresRestore(url: string, dump: AsyncIterable<Buffer>): Promise<void> {
  const { env, secrets } = postgresEnv(url);
  // pg_restore needs --dbname to restore (without it prints SQL): a conninfo string, quoted
  const quoted = `'${(env.PGDATABASE ?? "").replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  const { spawn } = await import("node:child_process");
  const child = spawn(
    "pg_restore",
    [
      "--no-owner",
      "--exit-on-error",
      "--single-transaction",
      "--no-password",
      `--dbname=dbname=${quoted}`,
    ],
    { env, stdio: ["pipe", "ignore", "pipe"] },
  );
  await intoTool(child, dump, { tool: "pg_restore", accepted: [0], secrets });
}

/** Writes the rest of the stream to `file` (0600, created new). */
export async function writeNew(file: string, content: AsyncIterable<Buffer>): Promise<void> {
  await pipeline(Readable.from(content), createWriteStream(file, { mode: 0o600, flags: "wx" }));
}
