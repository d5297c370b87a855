// How the engines' command-line tools (mariadb-dump, mariadb, pg_dump, pg_restore) reach a
// server: the same place and admin login as the database actions (databases/apply.ts
// accessOf), never a secret on the command line and nothing on disk. Each tool reads the
// password from its own environment (MariaDB's MYSQL_PWD, PostgreSQL's PGPASSWORD: a process's
// environment is readable by its own user and root only, /proc/PID/environ 0400), the rest from
// argv; MariaDB's with `--no-defaults` (no option file of the machine's), PostgreSQL's with no
// password or service file. Only a server's own CA certificate (TLS verify-full with a CA
// that is not the system's) is written, 0600 in a private 0700 directory removed after.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DatabaseTls } from "@steward/contracts/databases";
import { EXEC_PATH } from "../../system/exec.ts";
import type { ServerAccess } from "../databases/manage.ts";
import { toolEnv } from "./tool-process.ts";

/** Where the tools are looked up (EXEC_PATH unless the caller says otherwise). */
export interface ToolOptions {
  path?: string;
}

export interface ToolLogin {
  /** connection arguments (no secret among them) */
  args: string[];
  /** the tool's whole environment */
  env: Record<string, string>;
  /** what no message may repeat */
  secrets: string[];
  /** removes the private directory (when a CA file needed one) */
  remove(): Promise<void>;
}

const SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";
/** A path no one can create (nothing can be made in /proc/self): libpq finds no file there. */
const NO_FILE = "/proc/self/.steward-none";
/** A private directory (0700) for a CA file, made on first use, removed by `remove`. */
function privateDir() {
  let dir: Promise<string> | null = null;
  return {
    path: () => {
      dir ??= mkdtemp(join(tmpdir(), "steward-dbtool-"));
      return dir;
    },
    remove: async () => {
      if (dir) await rm(await dir, { recursive: true, force: true });
    },
  };
}

async function caFile(dir: () => Promise<string>, tls: DatabaseTls): Promise<string | null> {
  if (tls.ca === null) return null;
  const file = join(await dir(), "ca.pem");
  await writeFile(file, tls.ca, { mode: 0o600 });
  return file;
}

/** mariadb-dump / mariadb: the login, socket or TCP, and TLS in argv; the password in env. */
export async function mariadbLogin(access: ServerAccess, o: ToolOptions = {}): Promise<ToolLogin> {
  const { path: dir, remove } = privateDir();
  try {
    const { admin, credentials } = access;
    // --no-defaults must come first: the tool then reads no option file at all
    const args = ["--no-defaults", `--user=${credentials.user}`];
    if (admin.kind === "socket") args.push(`--socket=${admin.path}`);
    else {
      args.push("--protocol=TCP", `--host=${admin.host}`, `--port=${admin.port}`);
      const ca = await caFile(dir, admin.tls);
      if (admin.tls.mode === "disable") args.push("--skip-ssl");
      else if (admin.tls.mode === "require") args.push("--ssl", "--skip-ssl-verify-server-cert");
      else args.push("--ssl", "--ssl-verify-server-cert", `--ssl-ca=${ca ?? SYSTEM_ROOTS}`);
    }
    const env: Record<string, string> = {};
    if (credentials.password !== undefined) env.MYSQL_PWD = credentials.password;
    return {
      args,
      env: toolEnv(env, o.path ?? EXEC_PATH),
      secrets: credentials.password ? [credentials.password] : [],
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** pg_dump / pg_restore: host (or socket directory), port and user in argv; the rest in env. */
export async function postgresLogin(access: ServerAccess, o: ToolOptions = {}): Promise<ToolLogin> {
  const { path: dir, remove } = privateDir();
  try {
    const { admin, credentials } = access;
    const env: Record<string, string> = {
      // no ~/.pgpass, no service file: only what is given here
      PGPASSFILE: NO_FILE,
      PGSERVICEFILE: NO_FILE,
      PGCONNECT_TIMEOUT: "10",
      PGAPPNAME: "steward-backup",
    };
    if (credentials.password !== undefined) env.PGPASSWORD = credentials.password;
    const args =
      admin.kind === "socket"
        ? [`--host=${admin.path}`, `--port=${admin.port ?? 5432}`]
        : [`--host=${admin.host}`, `--port=${admin.port}`];
    if (admin.kind === "tcp") {
      env.PGSSLMODE = admin.tls.mode;
      if (admin.tls.mode === "verify-full")
        env.PGSSLROOTCERT = (await caFile(dir, admin.tls)) ?? SYSTEM_ROOTS;
    }
    return {
      args: [...args, `--username=${credentials.user}`, "--no-password"],
      env: toolEnv(env, o.path ?? EXEC_PATH),
      secrets: credentials.password ? [credentials.password] : [],
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

const versions = new Map<string, Promise<string>>();

/** `tool --version`'s first line (cached per tool and PATH): the artifact's producer. */
export function toolVersion(tool: string, path = EXEC_PATH): Promise<string> {
  const key = `${path}\u0000${tool}`;
  let found = versions.get(key);
  if (!found) {
    found = promisify(execFile)(tool, ["--version"], { env: toolEnv({}, path), timeout: 10_000 })
      .then(({ stdout }) => (stdout.trim().split("\n")[0] ?? tool).slice(0, 200))
      .catch(() => {
        versions.delete(key); // asked again next time: the tool may be installed by then
        return tool;
      });
    versions.set(key, found);
  }
  return found;
}
