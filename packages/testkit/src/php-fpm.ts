// A hermetic PHP-FPM: Debian's php-fpm8.x, its own php-fpm.conf in a temp dir (pid, error
// log, `include=<dir>/pools/*.conf`), started in the foreground (-F) as our child. The file
// says `daemonize = yes` so that code under test can start it again the way a server does
// (`php-fpm -y conf -p prefix` detaches) if a failed reload stopped it; the pid file is the
// truth either way. PHP-FPM refuses to start without a pool, so the main file carries one
// idle placeholder pool; sites add theirs in pools/. Reload is SIGUSR2 to the master.
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { livePid, waitFor } from "./nginx.ts";
import { missing, unprivilegedUser } from "./system.ts";

export interface PhpFpmServer {
  bin: string;
  dir: string;
  conf: string;
  poolDir: string;
  /** where pools put their sockets (world-traversable) */
  socketDir: string;
  pidFile: string;
  errorLog: string;
  /** argv that tests this instance's configuration, as an agent would run it */
  commands: { test: string[] };
  pid(): number | null;
  reload(): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's binary: /usr/sbin/php-fpm<version>, the newest one. */
export function phpFpmBin(): string | null {
  const fromEnv = process.env.STEWARD_PHP_FPM_BIN;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const found = readdirSync("/usr/sbin")
    .filter((f) => /^php-fpm[0-9.]*$/.test(f))
    .sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  return found[0] ? join("/usr/sbin", found[0]) : null;
}

export async function startPhpFpm(): Promise<PhpFpmServer | null> {
  const bin = phpFpmBin();
  if (!bin) return missing("php-fpm", "apt-get install php-fpm");
  const dir = mkdtempSync(join(tmpdir(), "steward-php-"));
  chmodSync(dir, 0o755);
  const poolDir = join(dir, "pools");
  const socketDir = join(dir, "run");
  mkdirSync(poolDir);
  mkdirSync(socketDir, { mode: 0o755 });
  const conf = join(dir, "php-fpm.conf");
  const pidFile = join(dir, "php-fpm.pid");
  const errorLog = join(dir, "error.log");
  const idle = process.getuid?.() === 0 ? unprivilegedUser(["nobody"]) : null;
  writeFileSync(
    conf,
    [
      "[global]",
      `pid = ${pidFile}`,
      `error_log = ${errorLog}`,
      "daemonize = yes",
      `include = ${poolDir}/*.conf`,
      "",
      "[steward-idle]",
      idle ? `user = ${idle.name}` : "",
      `listen = ${join(socketDir, "idle.sock")}`,
      "pm = ondemand",
      "pm.max_children = 1",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(bin, ["-F", "-y", conf, "-p", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const pid = () => livePid(pidFile);
  await waitFor(() => pid() !== null || child.exitCode !== null, "php-fpm to start");
  if (pid() === null) throw new Error(`php-fpm exited: ${log}`);
  return {
    bin,
    dir,
    conf,
    poolDir,
    socketDir,
    pidFile,
    errorLog,
    commands: { test: [bin, "-t", "-y", conf, "-p", dir] },
    pid,
    async reload() {
      const p = pid();
      if (p === null) throw new Error("php-fpm is not running");
      process.kill(p, "SIGUSR2");
    },
    async stop() {
      const p = pid();
      if (p !== null) {
        process.kill(p, "SIGQUIT");
        await waitFor(() => pid() === null, "php-fpm to exit", 5000).catch(() =>
          process.kill(p, "SIGKILL"),
        );
      }
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
