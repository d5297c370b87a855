// A hermetic nginx: Debian's binary, its own prefix in a temp dir (config, pid, logs, temp
// paths), listening on one loopback address and a random port. It runs as a daemon with a
// pid file so that `nginx -s reload -c <conf> -p <prefix>` works exactly as it does on a
// server; the workers run as nobody when we are root. Sites go in `<dir>/sites/*.conf`.
import { execFile } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type HttpAnswer, httpGet } from "./http.ts";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

const run = promisify(execFile);

export interface NginxOptions {
  /** loopback address to listen on (127.0.0.x); default 127.0.0.2 */
  listen?: string;
  /** default: a free port */
  port?: number;
  /** prepare the prefix but leave nginx stopped (the code under test starts it) */
  start?: boolean;
  /**
   * a default server answering 404 to names no site serves (default true); without it the
   * first site is the default, reached by the address itself (a site the panel calls by IP)
   */
  defaultServer?: boolean;
}

export interface NginxServer {
  bin: string;
  /** the prefix directory (-p) */
  dir: string;
  /** the main configuration file (-c) */
  conf: string;
  /** where site configurations go (included as *.conf) */
  sitesDir: string;
  pidFile: string;
  errorLog: string;
  listen: string;
  port: number;
  /** the workers' user and group (what a PHP-FPM socket must be readable by) */
  user: { name: string; group: string };
  /** argv that (re)load this instance, as an agent would run them */
  commands: { test: string[]; start: string[]; reload: string[]; stop: string[] };
  /** the master's pid, or null when it is not running */
  pid(): number | null;
  start(): Promise<void>;
  reload(): Promise<void>;
  /** GET with a Host header against this instance (fetch cannot set Host) */
  request(host: string, path?: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

export function nginxBin(): string | null {
  const bin = process.env.STEWARD_NGINX_BIN ?? "/usr/sbin/nginx";
  return existsSync(bin) ? bin : null;
}

export async function startNginx(opts: NginxOptions = {}): Promise<NginxServer | null> {
  const bin = nginxBin();
  if (!bin) return missing("nginx", "apt-get install nginx-light");
  const listen = opts.listen ?? "127.0.0.2";
  const port = opts.port ?? (await freePort(listen));
  const dir = mkdtempSync(join(tmpdir(), "steward-nginx-"));
  chmodSync(dir, 0o755); // the workers (nobody) serve files from under it
  const sitesDir = join(dir, "sites");
  for (const d of [sitesDir, join(dir, "logs"), join(dir, "tmp")]) mkdirSync(d);
  const conf = join(dir, "nginx.conf");
  const pidFile = join(dir, "nginx.pid");
  const errorLog = join(dir, "logs", "error.log");
  const asRoot = process.getuid?.() === 0;
  const workers = asRoot ? unprivilegedUser(["nobody"]) : null;
  const group = workers ? groupName(workers.gid) : "";
  const user = workers ? { name: workers.name, group } : currentUser();
  const defaultServer = opts.defaultServer !== false;
  writeFileSync(
    conf,
    mainConf({ dir, sitesDir, pidFile, errorLog, listen, port, user, asRoot, defaultServer }),
  );
  const base = ["-c", conf, "-p", `${dir}/`, "-e", errorLog];
  const commands = {
    test: [bin, "-t", "-q", ...base],
    start: [bin, ...base],
    reload: [bin, ...base, "-s", "reload"],
    stop: [bin, ...base, "-s", "quit"],
  };
  const pid = () => livePid(pidFile);
  const server: NginxServer = {
    bin,
    dir,
    conf,
    sitesDir,
    pidFile,
    errorLog,
    listen,
    port,
    user,
    commands,
    pid,
    async start() {
      await runArgv(commands.start);
      await waitFor(() => pid() !== null, "nginx to write its pid file");
    },
    async reload() {
      // like the agent: done when a new worker runs and every old one is shutting down
      const master = pid();
      const before = master === null ? [] : workerList(master);
      await runArgv(commands.reload);
      await waitFor(() => {
        const now = workerList(pid() ?? 0);
        const old = before.filter((w) => now.some((n) => n.pid === w.pid && !n.exiting));
        return now.some((n) => !before.some((b) => b.pid === n.pid)) && old.length === 0;
      }, "nginx to load its new configuration");
    },
    request: (host, path = "/", headers) =>
      httpGet({ address: listen, port, host, path, ...(headers ? { headers } : {}) }),
    async stop() {
      const p = pid();
      if (p !== null) {
        try {
          process.kill(p, "SIGTERM");
        } catch {}
        await waitFor(() => !alive(p), "nginx to exit").catch(() => process.kill(p, "SIGKILL"));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (opts.start !== false) await server.start();
  return server;
}

type ConfParts = Pick<
  NginxServer,
  "dir" | "sitesDir" | "pidFile" | "errorLog" | "listen" | "port" | "user"
> & { asRoot: boolean; defaultServer: boolean };

function mainConf(p: ConfParts): string {
  const tmp = join(p.dir, "tmp");
  return [
    p.asRoot ? `user ${p.user.name} ${p.user.group};` : "",
    "worker_processes 1;",
    "daemon on;",
    `pid ${p.pidFile};`,
    `error_log ${p.errorLog} warn;`,
    "events { worker_connections 1024; }",
    "http {",
    "  types { text/html html; text/plain txt; text/css css; application/javascript js; }",
    "  default_type application/octet-stream;",
    "  access_log off;",
    "  server_names_hash_bucket_size 128;",
    "  server_names_hash_max_size 65536;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
      (t) => `  ${t}_temp_path ${join(tmp, t)};`,
    ),
    p.defaultServer
      ? `  server { listen ${p.listen}:${p.port} default_server; server_name _; return 404; }`
      : "",
    `  include ${p.sitesDir}/*.conf;`,
    "}",
    "",
  ].join("\n");
}

/** The pid in a pid file when that process is alive. */
export function livePid(pidFile: string): number | null {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/** The master's workers, and whether each is already shutting down (after a reload). */
function workerList(master: number): { pid: number; exiting: boolean }[] {
  const out: { pid: number; exiting: boolean }[] = [];
  for (const e of readdirSync("/proc")) {
    if (!/^[0-9]+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== master) continue;
      const title = readFileSync(`/proc/${e}/cmdline`, "utf8");
      if (title.includes("worker process"))
        out.push({ pid: Number(e), exiting: title.includes("shutting down") });
    } catch {} // exited meanwhile
  }
  return out;
}

/** Running, and not a zombie (a daemon's parent here may be an init that never reaps). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function runArgv(argv: string[]) {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error("empty command");
  await run(cmd, args, { timeout: 30_000 });
}

export async function waitFor(ok: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function groupName(gid: number): string {
  const line = readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.split(":")[2] === String(gid));
  return line?.split(":")[0] ?? String(gid);
}

function currentUser(): { name: string; group: string } {
  const uid = process.getuid?.() ?? 0;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.split(":")[2] === String(uid));
  const [name = String(uid), , , gid = "0"] = line?.split(":") ?? [];
  return { name, group: groupName(Number(gid)) };
}
