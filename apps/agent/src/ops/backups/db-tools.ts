// How the engines' command-line tools (mariadb-dump, mariadb, pg_dump, pg_restore) reach a
// server: the same place and admin login as the database actions (databases/apply.ts
// accessOf), never a secret on the command line. MariaDB's tools read one option file
// (`--defaults-file`, 0600 in a private 0700 directory, removed after); PostgreSQL's read
// the password from PGPASSWORD in their own environment and the TLS mode from PGSSLMODE.
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
  /** removes the private directory */
  remove(): Promise<void>;
}

const SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";

/** A private directory (0700) for an option file and a CA, removed by the caller. */
async function privateDir() {
  const dir = await mkdtemp(join(tmpdir(), "steward-dbtool-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** An option-file value: double-quoted, with MariaDB's escape sequences. */
const optionValue = (value: string) =>
  `"${value
    .replaceAll("\\", "\\\\")
    .replaceAll('"', '\\"')
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t")
    .replaceAll("\b", "\\b")}"`;

async function caFile(dir: string, tls: DatabaseTls): Promise<string | null> {
  if (tls.ca === null) return null;
  const file = join(dir, "ca.pem");
  await writeFile(file, tls.ca, { mode: 0o600 });
  return file;
}

/** mariadb-dump / mariadb: `--defaults-file` with the login, socket or TCP, and TLS. */
export async function mariadbLogin(access: ServerAccess, o: ToolOptions = {}): Promise<ToolLogin> {
  const { dir, remove } = await privateDir();
  try {
    const { admin, credentials } = access;
    const lines = ["[client]", `user=${optionValue(credentials.user)}`];
    if (credentials.password !== undefined)
      lines.push(`password=${optionValue(credentials.password)}`);
    if (admin.kind === "socket") lines.push(`socket=${optionValue(admin.path)}`);
    else {
      lines.push("protocol=TCP", `host=${optionValue(admin.host)}`, `port=${admin.port}`);
      const ca = await caFile(dir, admin.tls);
      if (admin.tls.mode === "disable") lines.push("skip-ssl");
      else if (admin.tls.mode === "require") lines.push("ssl", "skip-ssl-verify-server-cert");
      else lines.push("ssl", "ssl-verify-server-cert", `ssl-ca=${optionValue(ca ?? SYSTEM_ROOTS)}`);
    }
    const file = join(dir, "client.cnf");
    await writeFile(file, `${lines.join("\n")}\n`, { mode: 0o600 });
    return {
      // --defaults-file must come first: the tool then reads no other option file
      args: [`--defaults-file=${file}`],
      env: toolEnv({}, o.path ?? EXEC_PATH),
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
  const { dir, remove } = await privateDir();
  try {
    const { admin, credentials } = access;
    const env: Record<string, string> = {
      // no ~/.pgpass, no service file: only what is given here
      PGPASSFILE: join(dir, "none"),
      PGSERVICEFILE: join(dir, "none"),
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
