// A hermetic PostgreSQL: Debian's binaries, a temp data dir, a random port on 127.0.0.1,
// run as an unprivileged user when we are root. Stopped and removed by stop().
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./ports.ts";
import { missing, postgresBinDir, unprivilegedUser } from "./system.ts";

const run = promisify(execFile);

export interface PostgresServer {
  /** superuser URL of the "postgres" database */
  url: string;
  port: number;
  /** the directory of its unix socket (the superuser "steward" logs in there without a password) */
  socketDir: string;
  /** creates an empty database and returns its URL */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** PEM certificate and key: TLS on (clients choose whether to use it) */
  tls?: { cert: string; key: string };
  /** users other than "steward" log in over TCP with their password (scram-sha-256) */
  passwords?: boolean;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer | null> {
  const bin = postgresBinDir();
  if (!bin) return missing("PostgreSQL", "apt-get install postgresql");
  const dir = mkdtempSync(join(tmpdir(), "steward-pg-"));
  const data = join(dir, "data");
  const asUser = process.getuid?.() === 0 ? unprivilegedUser() : null;
  const ids = asUser ? { uid: asUser.uid, gid: asUser.gid } : {};
  if (asUser) {
    chownSync(dir, asUser.uid, asUser.gid);
    chmodSync(dir, 0o700);
  }
  await run(
    join(bin, "initdb"),
    ["-D", data, "-U", "steward", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    {
      ...ids,
      env: { ...process.env, LC_ALL: "C" },
    },
  );
  const extra = configure(dir, data, options, asUser);
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, "postgres"),
    [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
      "-c",
      "max_connections=400", // test files run side by side, each with its pools
      ...extra,
    ],
    { ...ids, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const url = `postgres://steward@127.0.0.1:${port}/postgres`;
  await waitReady(url, child, () => log);
  return {
    url,
    port,
    socketDir: dir,
    createDatabase: () => createDatabase(url),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGINT");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes pg_hba.conf and the TLS files the options ask for; returns the server's extra argv. */
function configure(
  dir: string,
  data: string,
  options: PostgresOptions,
  owner: { uid: number; gid: number } | null,
): string[] {
  if (options.passwords)
    writeFileSync(
      join(data, "pg_hba.conf"),
      [
        "local all all trust",
        "host all steward 127.0.0.1/32 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "",
      ].join("\n"),
    );
  if (!options.tls) return [];
  const cert = join(dir, "server.crt");
  const key = join(dir, "server.key");
  writeFileSync(cert, options.tls.cert);
  writeFileSync(key, options.tls.key, { mode: 0o600 });
  if (owner) for (const path of [cert, key]) chownSync(path, owner.uid, owner.gid);
  return ["-c", "ssl=on", "-c", `ssl_cert_file=${cert}`, "-c", `ssl_key_file=${key}`];
}

let n = 0;
/**
 * Creates a database next to the one `baseUrl` points at, empty or a copy of `template` (a
 * database of that server nobody is connected to); returns its URL.
 */
export async function createDatabase(baseUrl: string, template?: string): Promise<string> {
  const name = `t_${process.pid}_${Date.now()}_${n++}`;
  await withClient(baseUrl, (c) =>
    c.query(`create database ${name}${template ? ` template ${quoteIdent(template)}` : ""}`),
  );
  return databaseUrl(baseUrl, name);
}

/** The URL of database `name` on the server `baseUrl` points at. */
export function databaseUrl(baseUrl: string, name: string): string {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `work` on a connection to `url`, closed after. */
export async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function waitReady(url: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log()}`);
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`postgres did not start within 30 s: ${log()}`);
}
