// A hermetic MariaDB: Debian's binaries, a temp data dir, a random port on 127.0.0.1 and a
// unix socket in the temp dir, run as `mysql` when we are root. root logs in through the
// socket only (unix_socket authentication), as on a node. Optional TLS with a given
// certificate and key. Stopped and removed by stop().
import { type ChildProcess, execFile, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

const run = promisify(execFile);
const MARIADBD = "/usr/sbin/mariadbd";
const INSTALL_DB = "/usr/bin/mariadb-install-db";
const CLIENT = "/usr/bin/mariadb";

export interface MariadbServer {
  port: number;
  /** the admin (root, unix_socket authentication) socket */
  socket: string;
  /** runs SQL as root through the socket with the `mariadb` client; returns its output */
  sql(statement: string): Promise<string>;
  stop(): Promise<void>;
}

export interface MariadbOptions {
  /** PEM certificate and key the server presents over TCP */
  tls?: { cert: string; key: string };
}

export async function startMariadb(options: MariadbOptions = {}): Promise<MariadbServer | null> {
  if (!existsSync(MARIADBD) || !existsSync(INSTALL_DB))
    return missing("MariaDB", "apt-get install mariadb-server mariadb-client");
  const dir = mkdtempSync(join(tmpdir(), "steward-mariadb-"));
  const data = join(dir, "data");
  const asUser = process.getuid?.() === 0 ? unprivilegedUser(["mysql", "nobody"]) : null;
  // its own temporary directory: not /tmp, where other servers' temporary tables live
  const tmp = join(dir, "tmp");
  mkdirSync(data);
  mkdirSync(tmp);
  const args = tlsArgs(dir, options.tls, asUser);
  if (asUser) for (const path of [dir, data, tmp]) chownSync(path, asUser.uid, asUser.gid);
  chmodSync(dir, 0o755);
  const user = asUser ? [`--user=${asUser.name}`] : [];
  await run(INSTALL_DB, [
    "--no-defaults",
    `--datadir=${data}`,
    `--tmpdir=${tmp}`,
    "--auth-root-authentication-method=socket",
    "--skip-test-db",
    ...user,
  ]);
  const socket = join(dir, "mysqld.sock");
  const sql = async (statement: string) =>
    (
      await run(CLIENT, [
        "--no-defaults",
        `--socket=${socket}`,
        "-uroot",
        "-N",
        "-B",
        "-e",
        statement,
      ])
    ).stdout;
  const base = [
    "--no-defaults",
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--tmpdir=${tmp}`,
    "--bind-address=127.0.0.1",
    `--pid-file=${join(dir, "mysqld.pid")}`,
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--skip-name-resolve",
    "--innodb-flush-log-at-trx-commit=0",
    ...user,
    ...args,
  ];
  const { child, port } = await listen(base, sql);
  return {
    port,
    socket,
    sql,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts mariadbd on a free port; another process taking the port between freePort() and the
 * bind (tests run in parallel) is retried on a new port.
 */
async function listen(base: string[], sql: (s: string) => Promise<string>) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(MARIADBD, [...base, `--port=${port}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
    try {
      await waitReady(sql, child, () => log);
      return { child, port };
    } catch (error) {
      if (attempt >= 3 || !log.includes("Address already in use")) throw error;
    }
  }
}

function tlsArgs(
  dir: string,
  tls: MariadbOptions["tls"],
  owner: { uid: number; gid: number } | null,
): string[] {
  if (!tls) return [];
  const cert = join(dir, "server.crt");
  const key = join(dir, "server.key");
  writeFileSync(cert, tls.cert);
  writeFileSync(key, tls.key, { mode: 0o600 });
  if (owner) chownSync(key, owner.uid, owner.gid);
  return [`--ssl-cert=${cert}`, `--ssl-key=${key}`];
}

async function waitReady(
  sql: (s: string) => Promise<string>,
  child: ChildProcess,
  log: () => string,
) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mariadbd exited: ${log()}`);
    try {
      await sql("select 1");
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`mariadbd did not start within 30 s: ${log()}`);
}
