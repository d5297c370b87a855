// A hermetic rspamd (Debian's 3.x): the distribution's /etc/rspamd/rspamd.conf with every
// directory redefined (--var LOCAL_CONFDIR, DBDIR, RUNDIR, LOGDIR) under one temp dir, and
// override.d files of its own: the normal worker, the proxy as a milter (for Postfix) and the
// controller on random 127.0.0.1 ports, no fuzzy worker, logs to the console. local.d is
// where a node's agent writes Steward's settings (mail.apply). It compiles its regexps at
// start: under load it listens after 40-60 s, so start one per test file. Root only (it
// drops to _rspamd, which must reach its directories: the temp dir is 0755). Its compiled
// regexps are kept in one cache dir under the temp dir, so later starts skip that part.
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

export interface Rspamd {
  /** the proxy worker in milter mode: Postfix's `smtpd_milters = inet:127.0.0.1:<milter>` */
  ports: { normal: number; milter: number; controller: number };
  /** LOCAL_CONFDIR: its local.d/ holds Steward's settings.conf */
  localDir: string;
  /** the main process's pid file (SIGHUP reloads) */
  pidFile: string;
  /** the --var arguments rspamd and rspamadm are given */
  vars: string[];
  config: string;
  /** what rspamd logged so far */
  log(): string;
  stop(): Promise<void>;
}

const CONFIG = "/etc/rspamd/rspamd.conf";

export async function startRspamd(): Promise<Rspamd | null> {
  const bin = process.env.STEWARD_RSPAMD_BIN ?? "/usr/bin/rspamd";
  if (!existsSync(bin) || !existsSync(CONFIG)) return missing("rspamd", "apt-get install rspamd");
  if (process.getuid?.() !== 0) return missing("rspamd for this user", "it starts as root");
  const user = unprivilegedUser(["_rspamd"]);
  if (!user) return missing("rspamd's user", "apt-get install rspamd");
  const dir = mkdtempSync(join(tmpdir(), "steward-rspamd-"));
  chmodSync(dir, 0o755);
  const localDir = join(dir, "etc");
  for (const sub of ["local.d", "override.d"]) mkdirSync(join(localDir, sub), { recursive: true });
  for (const sub of ["db", "run", "log"]) {
    mkdirSync(join(dir, sub), { mode: 0o755 });
    chownSync(join(dir, sub), user.uid, user.gid);
  }
  // its compiled regexps (hyperscan), shared by every start here: compiling them is most of
  // a first start's minute, and the files are named by what they compile (a cache, kept)
  const hsCache = join(tmpdir(), "steward-rspamd-hs-cache");
  mkdirSync(hsCache, { recursive: true, mode: 0o755 });
  chownSync(hsCache, user.uid, user.gid);
  // the test patterns: GTUBE with Y (add header) besides X (reject), for tests only
  writeFileSync(
    join(localDir, "local.d", "options.inc"),
    `hs_cache_dir = "${hsCache}/";\nenable_test_patterns = true;\n`,
  );
  const [normal, milter, controller] = await Promise.all([freePort(), freePort(), freePort()]);
  const override = (name: string, lines: string[]) =>
    writeFileSync(join(localDir, "override.d", name), `${lines.join("\n")}\n`);
  override("worker-normal.inc", [`bind_socket = "127.0.0.1:${normal}";`, "count = 1;"]);
  override("worker-proxy.inc", [
    `bind_socket = "127.0.0.1:${milter}";`,
    "milter = yes;",
    "timeout = 120s;",
    "count = 1;",
    `upstream "local" { default = yes; hosts = "127.0.0.1:${normal}"; }`,
    'spam_header = "X-Spam";',
    'reject_message = "Spam message rejected";',
  ]);
  override("worker-controller.inc", [`bind_socket = "127.0.0.1:${controller}";`, "count = 1;"]);
  override("worker-fuzzy.inc", ["count = -1;"]);
  override("logging.inc", ['type = "console";', 'level = "notice";']);
  const vars = [
    `LOCAL_CONFDIR=${localDir}`,
    `DBDIR=${join(dir, "db")}`,
    `RUNDIR=${join(dir, "run")}`,
    `LOGDIR=${join(dir, "log")}`,
  ].flatMap((v) => ["--var", v]);
  let output = "";
  const child: ChildProcess = spawn(
    bin,
    ["-f", "-i", "-c", CONFIG, ...vars, "-u", "_rspamd", "-g", "_rspamd"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  // in the foreground (-f) it writes no pid file: the main process is this child
  const pidFile = join(dir, "rspamd.pid");
  writeFileSync(pidFile, `${child.pid}\n`);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const exited = new Promise((r) => child.once("exit", r));
      const late = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(late);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // it listens once its workers have compiled their regexps: 40-60 s under load
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`rspamd exited: ${output.slice(-2000)}`);
      if ((await pong(normal)) && (await listening(milter))) break;
      if (Date.now() > deadline) throw new Error(`rspamd is not ready: ${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    ports: { normal, milter, controller },
    localDir,
    pidFile,
    vars,
    config: CONFIG,
    log: () => output,
    stop,
  };
}

/** the normal worker answers /ping once it runs (the main process binds its port earlier) */
async function pong(port: number): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${port}/ping`).catch(() => null);
  if (!r?.ok) return false;
  return (await r.text()).trim() === "pong";
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
