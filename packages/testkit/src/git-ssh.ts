// A git server over ssh for a GitServer's repositories: Debian's OpenSSH `sshd` on the git
// server's loopback address and a free port, its own config and host key, one user `git`
// (known to sshd through nss_wrapper, the `nobody` uid, git-shell as its shell: only git's
// commands) whose home is the repositories' directory; keys are authorized one by one (an
// app's deploy key, as a forge's "deploy keys" page does). Clone URL:
// ssh://git@ADDRESS:PORT/<repositories>/NAME.git. Needs root (sshd switches users).
import { type ChildProcess, spawn } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitServer } from "./git-http.ts";
import { freePort } from "./ports.ts";
import { ensureSshdRunDir, keyPair, NSS_WRAPPERS, portOpen, SSHD } from "./sftp.ts";
import { missing, unprivilegedUser } from "./system.ts";

const GIT_SHELL = "/usr/bin/git-shell";

export interface GitSsh {
  port: number;
  /** the host key's fingerprint (SHA256:...) */
  hostKey: string;
  /** ssh://git@ADDRESS:PORT/<repositories>/NAME */
  url(name: string): string;
  /** lets this OpenSSH public key (`ssh-ed25519 AAAA... comment`) in */
  authorize(publicKey: string): void;
  /** how many logins were accepted (sshd's log) */
  logins(): number;
  stop(): Promise<void>;
}

export async function startGitSsh(git: GitServer): Promise<GitSsh | null> {
  if (!existsSync(SSHD)) return missing("sshd", "apt-get install openssh-server");
  if (!existsSync(GIT_SHELL)) return missing("git-shell", "apt-get install git");
  const nssWrapper = NSS_WRAPPERS.find((path) => existsSync(path));
  if (!nssWrapper) return missing("nss_wrapper", "apt-get install libnss-wrapper");
  if (process.getuid?.() !== 0) return missing("root", "sshd switches users");
  const owner = unprivilegedUser(["nobody"]);
  if (!owner) return missing("the nobody account", "/etc/passwd");
  const dir = mkdtempSync(join(tmpdir(), "stw-gitssh-"));
  chmodSync(dir, 0o755);
  // the git user reads the repositories (root's, 0755) and trusts them whoever owns them
  chmodSync(git.reposDir, 0o755);
  chmodSync(join(git.reposDir, ".."), 0o755);
  writeFileSync(join(git.reposDir, ".gitconfig"), "[safe]\n\tdirectory = *\n");
  const host = keyPair(dir, "host_key");
  const system = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .filter((l) => /^(root|sshd):/.test(l));
  const passwd = join(dir, "passwd");
  const group = join(dir, "group");
  writeFileSync(
    passwd,
    `${[...system, `git:x:${owner.uid}:${owner.gid}::${git.reposDir}:${GIT_SHELL}`].join("\n")}\n`,
  );
  writeFileSync(group, `root:x:0:\nnogroup:x:${owner.gid}:\n`);
  const authorized = join(dir, "authorized_keys");
  writeFileSync(authorized, "", { mode: 0o644 });
  const port = await freePort(git.listen);
  const config = join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `ListenAddress ${git.listen}`,
      `Port ${port}`,
      `HostKey ${host.key}`,
      "PidFile none",
      "UsePAM no",
      "StrictModes no",
      `AuthorizedKeysFile ${authorized}`,
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "AllowUsers git",
      "AllowTcpForwarding no",
      "AllowAgentForwarding no",
      "X11Forwarding no",
      "PermitTTY no",
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );
  let log = "";
  ensureSshdRunDir();
  const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", config], {
    env: {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      LD_PRELOAD: nssWrapper,
      NSS_WRAPPER_PASSWD: passwd,
      NSS_WRAPPER_GROUP: group,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-65536);
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port, git.listen))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`sshd did not start: ${log.trim() || `exit ${child.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    port,
    hostKey: host.fingerprint,
    url: (name) => `ssh://git@${git.listen}:${port}${git.reposDir}/${name}`,
    authorize: (publicKey) => appendFileSync(authorized, `${publicKey.trim()}\n`),
    logins: () => (log.match(/Accepted publickey for git/g) ?? []).length,
    stop,
  };
}
