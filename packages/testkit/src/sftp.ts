// A hermetic SFTP server: Debian's OpenSSH `sshd` on 127.0.0.1 and a free port, its own config,
// host key (ed25519) and users, nothing of the machine's ssh setup. One virtual user, sftp only
// (`ForceCommand internal-sftp -d /upload`, no shell, no forwarding), known to sshd through
// nss_wrapper (a private passwd file holding its SHA-512 crypt hash, no `useradd`), logging in
// with a password or a key, and **chrooted** (`ChrootDirectory`) into a root-owned 0755
// directory whose only writable place is `upload/` (owned by `nobody`). OpenSSH refuses a
// chroot with a group- or world-writable component on its path, and os.tmpdir() (/tmp) is
// world-writable, so the chroot lives under /srv (removed on stop); config and keys are under
// os.tmpdir(). Needs root (sshd chroots and switches to the user's uid). One per test file.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { missing, unprivilegedUser } from "./system.ts";

export interface SftpServer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** the user's private key (OpenSSH format) */
  privateKey: string;
  /** the server's host key fingerprint, as `ssh-keygen -l` prints it (SHA256:…) */
  hostKey: string;
  /** the fingerprint of another key: a pin the server does not match */
  otherHostKey: string;
  /** the login directory on this machine (the user's "/upload", inside the chroot) */
  home: string;
  stop(): Promise<void>;
}

export const SSHD = "/usr/sbin/sshd";

/**
 * sshd started as root refuses to run without its privilege separation directory, which the
 * system's service makes at boot (components.md): a machine that never ran it has none.
 */
export const ensureSshdRunDir = () => mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
/** Where Debian (each architecture) and others put nss_wrapper. */
export const NSS_WRAPPERS = [
  "/usr/lib/x86_64-linux-gnu/libnss_wrapper.so",
  "/usr/lib/aarch64-linux-gnu/libnss_wrapper.so",
  "/usr/lib64/libnss_wrapper.so",
  "/usr/lib/libnss_wrapper.so",
];
const CHROOT_PARENT = "/srv";

export function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once("connect", () => resolve(socket.destroy() !== undefined));
    socket.once("error", () => resolve(false));
  });
}

export function keyPair(dir: string, name: string): { key: string; fingerprint: string } {
  const file = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  const printed = execFileSync("ssh-keygen", ["-l", "-f", `${file}.pub`], { encoding: "utf8" });
  const fingerprint = printed.split(" ")[1] ?? "";
  return { key: file, fingerprint };
}

/**
 * A private key (OpenSSH format, unencrypted) encrypted with a passphrase, as `ssh-keygen -p`
 * makes it (bcrypt KDF, aes256-ctr): what a user with a passphrase-protected key gives.
 */
export function encryptedKey(privateKey: string, passphrase: string): string {
  const dir = mkdtempSync(join(tmpdir(), "stw-key-"));
  try {
    const file = join(dir, "id");
    writeFileSync(file, privateKey, { mode: 0o600 });
    execFileSync("ssh-keygen", ["-q", "-p", "-P", "", "-N", passphrase, "-f", file]);
    return readFileSync(file, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startSftp(): Promise<SftpServer | null> {
  if (!existsSync(SSHD)) return missing("sshd", "apt-get install openssh-server");
  const nssWrapper = NSS_WRAPPERS.find((path) => existsSync(path));
  if (!nssWrapper) return missing("nss_wrapper", "apt-get install libnss-wrapper");
  if (process.getuid?.() !== 0) return missing("root", "sshd chroots and switches users");
  const owner = unprivilegedUser(["nobody"]);
  if (!owner) return missing("the nobody account", "/etc/passwd");
  const dir = mkdtempSync(join(tmpdir(), "stw-sshd-"));
  const root = mkdtempSync(join(CHROOT_PARENT, "stw-sftp-"));
  chmodSync(root, 0o755);
  const stopAll = () => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const home = join(root, "upload");
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, owner.uid, owner.gid);
    const username = "backup";
    const password = "sftp-test-password";
    const host = keyPair(dir, "host_key");
    const other = keyPair(dir, "other_host_key");
    const user = keyPair(dir, "user_key");
    const hash = execFileSync("openssl", ["passwd", "-6", password], { encoding: "utf8" }).trim();
    // sshd looks up root and its privilege separation user too: copy their real lines
    const system = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .filter((l) => /^(root|sshd):/.test(l));
    const passwd = join(dir, "passwd");
    const group = join(dir, "group");
    writeFileSync(
      passwd,
      `${[...system, `${username}:${hash}:${owner.uid}:${owner.gid}::/upload:/usr/sbin/nologin`].join("\n")}\n`,
    );
    writeFileSync(group, `root:x:0:\nnogroup:x:${owner.gid}:\n`);
    // sshd reads the authorized keys as the user: the directory must let it through
    const authorized = join(dir, "authorized_keys");
    writeFileSync(authorized, readFileSync(`${user.key}.pub`), { mode: 0o644 });
    chmodSync(dir, 0o755);
    const port = await freePort();
    const config = join(dir, "sshd_config");
    writeFileSync(
      config,
      [
        "ListenAddress 127.0.0.1",
        `Port ${port}`,
        `HostKey ${host.key}`,
        "PidFile none",
        "UsePAM no",
        "StrictModes no",
        `AuthorizedKeysFile ${authorized}`,
        "PubkeyAuthentication yes",
        "PasswordAuthentication yes",
        "KbdInteractiveAuthentication no",
        `AllowUsers ${username}`,
        "Subsystem sftp internal-sftp",
        `ChrootDirectory ${root}`,
        "ForceCommand internal-sftp -d /upload",
        "AllowTcpForwarding no",
        "AllowStreamLocalForwarding no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "PermitTunnel no",
        "PermitTTY no",
        "MaxStartups 100",
        "",
      ].join("\n"),
    );
    const child = await launch(config, port, {
      LD_PRELOAD: nssWrapper,
      NSS_WRAPPER_PASSWD: passwd,
      NSS_WRAPPER_GROUP: group,
    });
    return {
      host: "127.0.0.1",
      port,
      username,
      password,
      privateKey: readFileSync(user.key, "utf8"),
      hostKey: host.fingerprint,
      otherHostKey: other.fingerprint,
      home,
      async stop() {
        await stopChild(child);
        stopAll();
      },
    };
  } catch (error) {
    stopAll();
    throw error;
  }
}

/** Starts sshd on a config and waits for its port; its stderr's end is in the error. */
export async function launch(
  config: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  ensureSshdRunDir();
  const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", config], {
    env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192);
  });
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`sshd did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

export async function stopChild(child: ChildProcess) {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}
