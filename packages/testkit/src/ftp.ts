// A hermetic FTP server: Debian's pure-ftpd on 127.0.0.1 and random ports (control and a passive
// range), one virtual user in a puredb (a SHA-512 crypt hash: pure-pw's default argon2 costs
// seconds per login), chrooted into a temp directory owned by an unprivileged account, and
// explicit FTPS with a certificate of a throwaway CA (`ca`). Needs root (it binds, chroots and
// switches to the user's uid). One per test file.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
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
import { localCertificate, testCa } from "./tls.ts";

export interface FtpServer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** the user's directory on this machine (the FTP root "/") */
  home: string;
  /** the CA (PEM) of the server's TLS certificate */
  ca: string;
  stop(): Promise<void>;
}

const PURE_FTPD = "/usr/sbin/pure-ftpd";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket.destroy() !== undefined));
    socket.once("error", () => resolve(false));
  });
}

export async function startFtp(): Promise<FtpServer | null> {
  if (!existsSync(PURE_FTPD)) return missing("pure-ftpd", "apt-get install pure-ftpd");
  if (process.getuid?.() !== 0) return missing("root", "pure-ftpd chroots and switches users");
  const owner = unprivilegedUser(["nobody"]);
  if (!owner) return missing("the nobody account", "/etc/passwd");
  const dir = mkdtempSync(join(tmpdir(), "stw-ftp-"));
  const home = join(dir, "home");
  mkdirSync(home);
  chownSync(home, owner.uid, owner.gid);
  const username = "backup";
  const password = "ftp-test-password";
  const hash = execFileSync("openssl", ["passwd", "-6", password], { encoding: "utf8" }).trim();
  const passwd = join(dir, "pureftpd.passwd");
  writeFileSync(passwd, `${username}:${hash}:${owner.uid}:${owner.gid}::${home}/./::::::::::::\n`, {
    mode: 0o600,
  });
  const puredb = join(dir, "pureftpd.pdb");
  execFileSync("pure-pw", ["mkdb", puredb, "-f", passwd]);
  const tls = await tlsFiles(dir);
  const { child, port } = await launch(puredb, tls.pem);
  return {
    host: "127.0.0.1",
    port,
    username,
    password,
    home,
    ca: tls.ca,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A certificate of a throwaway CA for explicit FTPS, as pure-ftpd's one PEM file. */
async function tlsFiles(dir: string) {
  const ca = await testCa("Steward test FTP CA");
  const leaf = await localCertificate(ca, "127.0.0.1");
  const pem = join(dir, "pure-ftpd.pem");
  writeFileSync(pem, `${leaf.key}\n${leaf.cert}\n`, { mode: 0o600 });
  chmodSync(dir, 0o755);
  return { pem, ca: ca.certificate };
}

/** pure-ftpd on 127.0.0.1, a free control port and a passive range, users from `puredb`. */
async function launch(puredb: string, pem: string, at?: { port: number; low: number }) {
  const port = at?.port ?? (await freePort());
  const low = at?.low ?? 30000 + Math.floor(Math.random() * 30000);
  const child: ChildProcess = spawn(
    PURE_FTPD,
    [
      "-S",
      `127.0.0.1,${port}`,
      "-l",
      `puredb:${puredb}`,
      "-E",
      "-A",
      "-H",
      "-p",
      `${low}:${low + 50}`,
      "-P",
      "127.0.0.1",
      "-u",
      "1",
      "-Y",
      "1",
      "-2",
      pem,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`pure-ftpd did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, port, low };
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

export interface HostingFtp {
  host: string;
  port: number;
  /** where the agent under test writes its virtual users and the puredb pure-ftpd reads */
  passwdFile: string;
  pdbFile: string;
  purePw: string;
  /** the CA (PEM) of the server's TLS certificate */
  ca: string;
  /** pure-ftpd's TLS certificate (key then chain), read at start: the agent's `ftp.certFile` */
  certFile: string;
  /**
   * Restarts pure-ftpd (the agent's `ftp.restart`): it ends the server, which is started again
   * at once on the same ports, reading certFile anew (systemd's restart on a node).
   */
  restart: string[];
  stop(): Promise<void>;
}

/** pure-ftpd started again (same ports, same files) whenever it ends, until stopped. */
async function respawning(pdbFile: string, pem: string, pidFile: string) {
  let stopping = false;
  let current = await launch(pdbFile, pem);
  const { port, low } = current;
  const watch = (child: ChildProcess) => {
    writeFileSync(pidFile, `${child.pid}\n`);
    child.once("exit", () => {
      if (stopping) return;
      launch(pdbFile, pem, { port, low }).then(
        (next) => {
          current = next;
          watch(next.child);
        },
        () => {},
      );
    });
  };
  watch(current.child);
  return {
    port,
    async stop() {
      stopping = true;
      await stopChild(current.child);
    },
  };
}

/**
 * A pure-ftpd for hosting accounts' users (issue 19): no user of its own; it reads the puredb
 * the agent under test builds (`pure-pw mkdb`), at every login. Needs root. One per test file.
 */
export async function startHostingFtp(): Promise<HostingFtp | null> {
  if (!existsSync(PURE_FTPD)) return missing("pure-ftpd", "apt-get install pure-ftpd");
  if (process.getuid?.() !== 0) return missing("root", "pure-ftpd chroots and switches users");
  const dir = mkdtempSync(join(tmpdir(), "stw-hftp-"));
  try {
    const passwdFile = join(dir, "steward.passwd");
    const pdbFile = join(dir, "steward.pdb");
    const tls = await tlsFiles(dir);
    const pidFile = join(dir, "pure-ftpd.pid");
    const server = await respawning(pdbFile, tls.pem, pidFile);
    return {
      host: "127.0.0.1",
      port: server.port,
      passwdFile,
      pdbFile,
      purePw: "/usr/bin/pure-pw",
      ca: tls.ca,
      certFile: tls.pem,
      restart: ["/usr/bin/pkill", "-TERM", "-F", pidFile],
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
